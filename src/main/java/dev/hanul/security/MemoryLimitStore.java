package dev.hanul.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.Bandwidth;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Buckets and counts in this process's memory: exact for one process, per instance for several. */
final class MemoryLimitStore implements LimitStore {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    @Override
    public Bucket bucket(String name, Bandwidth limit) {
        return buckets.computeIfAbsent(name, _ -> Bucket.builder().addLimit(limit).build());
    }

    @Override
    public void count(String keyId, Counts added) {
        counts.merge(keyId, added, Counts::plus);
    }

    @Override
    public Counts counts(String keyId) {
        return counts.getOrDefault(keyId, Counts.NONE);
    }

    @Override
    public boolean blocking() {
        return false;
    }
}
