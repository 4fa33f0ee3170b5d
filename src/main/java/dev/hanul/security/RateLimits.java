package dev.hanul.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Per-key token buckets (Bucket4j): requests per minute, refilled smoothly, and prompt plus completion tokens per day,
 * refilled once a day. A request is admitted while its key has a request left and its day's tokens are not used up;
 * a generation's tokens are charged when it ends, so the last one of a day may overrun the quota, and the next
 * request waits for the refill. The buckets and counts live in a {@link LimitStore}: this instance's memory with the
 * embedded database, PostgreSQL (shared by the replicas) with PostgreSQL.
 */
@Component
public class RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final SecurityProperties.Limits defaults;
    private final LimitStore store;

    RateLimits(SecurityProperties properties, LimitStore store) {
        this.defaults = properties.limits();
        this.store = store;
    }

    /** Either admitted, or refused with how long to wait and why. */
    public sealed interface Admission {
        record Admitted() implements Admission {
        }

        record Refused(Duration retryAfter, String reason) implements Admission {
        }
    }

    /** {@link #admit}, off the caller's thread when the store waits for a database. */
    public Mono<Admission> admitting(ApiKey key) {
        Mono<Admission> admission = Mono.fromCallable(() -> admit(key));
        return store.blocking() ? admission.subscribeOn(Schedulers.boundedElastic()) : admission;
    }

    public Admission admit(ApiKey key) {
        Limits limits = limits(key);
        Bucket tokens = limits.tokens(key, store);
        if (tokens != null && tokens.getAvailableTokens() <= 0) {
            store.count(key.id(), new LimitStore.Counts(0, 1, 0, 0));
            long wait = tokens.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            return new Admission.Refused(Duration.ofNanos(wait), "The API key %s has used its %d tokens for today "
                    .formatted(key.prefix(), limits.tokensPerDay) + "(tokensPerDay). Retry after the Retry-After "
                    + "seconds, or ask an admin for a larger quota.");
        }
        Bucket requests = limits.requests(key, store);
        if (requests != null) {
            ConsumptionProbe probe = requests.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                store.count(key.id(), new LimitStore.Counts(0, 1, 0, 0));
                return new Admission.Refused(Duration.ofNanos(probe.getNanosToWaitForRefill()), ("The API key %s "
                        + "sent more than %d requests in a minute (requestsPerMinute). Retry after the Retry-After "
                        + "seconds.").formatted(key.prefix(), limits.requestsPerMinute));
            }
        }
        store.count(key.id(), new LimitStore.Counts(1, 0, 0, 0));
        return new Admission.Admitted();
    }

    /**
     * Charges a generation's tokens to the key; with a database-backed store in the background, since generations
     * end on engine and event-loop threads.
     */
    public void charge(ApiKey key, int promptTokens, int completionTokens) {
        Runnable charge = () -> {
            store.count(key.id(), new LimitStore.Counts(0, 0, promptTokens, completionTokens));
            Bucket tokens = limits(key).tokens(key, store);
            if (tokens != null) {
                tokens.consumeIgnoringRateLimits(promptTokens + completionTokens);
            }
        };
        if (!store.blocking()) {
            charge.run();
            return;
        }
        Schedulers.boundedElastic().schedule(() -> {
            try {
                charge.run();
            } catch (RuntimeException e) {
                log.warn("Could not charge {} tokens to the API key {}: {}", promptTokens + completionTokens,
                        key.prefix(), e.getMessage());
            }
        });
    }

    /** {@link #usage}, off the caller's thread when the store waits for a database. */
    public Mono<KeyUsage> usageOf(ApiKey key) {
        Mono<KeyUsage> usage = Mono.fromCallable(() -> usage(key));
        return store.blocking() ? usage.subscribeOn(Schedulers.boundedElastic()) : usage;
    }

    public KeyUsage usage(ApiKey key) {
        Limits limits = limits(key);
        LimitStore.Counts counts = store.counts(key.id());
        Bucket requests = limits.requests(key, store);
        Bucket tokens = limits.tokens(key, store);
        return new KeyUsage(counts.requests(), counts.rejected(), counts.promptTokens(), counts.completionTokens(),
                requests == null ? null : requests.getAvailableTokens(),
                tokens == null ? null : tokens.getAvailableTokens());
    }

    private Limits limits(ApiKey key) {
        int requestsPerMinute = key.requestsPerMinute() != null ? key.requestsPerMinute()
                : key.role() == Role.ADMIN ? 0 : defaults.requestsPerMinute();
        long tokensPerDay = key.tokensPerDay() != null ? key.tokensPerDay()
                : key.role() == Role.ADMIN ? 0 : defaults.tokensPerDay();
        return new Limits(requestsPerMinute, tokensPerDay);
    }

    /** A key's limits; 0: none. A bucket's name carries its limit, so a changed default gets a bucket of its own. */
    private record Limits(int requestsPerMinute, long tokensPerDay) {

        Bucket requests(ApiKey key, LimitStore store) {
            return requestsPerMinute <= 0 ? null : store.bucket(key.id() + ":requests:" + requestsPerMinute,
                    Bandwidth.builder().capacity(requestsPerMinute)
                            .refillGreedy(requestsPerMinute, Duration.ofMinutes(1)).build());
        }

        Bucket tokens(ApiKey key, LimitStore store) {
            return tokensPerDay <= 0 ? null : store.bucket(key.id() + ":tokens:" + tokensPerDay,
                    Bandwidth.builder().capacity(tokensPerDay).refillIntervally(tokensPerDay, Duration.ofDays(1))
                            .build());
        }
    }
}
