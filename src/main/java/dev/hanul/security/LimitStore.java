package dev.hanul.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.Bandwidth;

/**
 * Where {@link RateLimits} keeps each key's token buckets and usage counts: this process's memory (one process, the
 * embedded database), or PostgreSQL, shared by every replica of the service that uses the same database.
 */
sealed interface LimitStore permits MemoryLimitStore, PostgresLimitStore {

    /** The bucket named {@code name}, with {@code limit} when it does not exist yet. */
    Bucket bucket(String name, Bandwidth limit);

    /** Adds to a key's counts. */
    void count(String keyId, Counts added);

    Counts counts(String keyId);

    /** Whether the calls above wait for a database: then they must not run on an event-loop thread. */
    boolean blocking();

    /** What a key used: requests let through and refused, prompt and completion tokens. */
    record Counts(long requests, long rejected, long promptTokens, long completionTokens) {

        static final Counts NONE = new Counts(0, 0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(requests + other.requests, rejected + other.rejected,
                    promptTokens + other.promptTokens, completionTokens + other.completionTokens);
        }
    }
}
