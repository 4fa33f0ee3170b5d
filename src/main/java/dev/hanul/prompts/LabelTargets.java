package dev.hanul.prompts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The versions a label serves, with weights: one version ({@code 3}), or an A/B split ({@code 3:90,4:10}). A split
 * picks by a hash of the routing key, so a conversation stays on one version for as long as the split stays.
 *
 * @param weights version → weight, in the order given
 */
record LabelTargets(Map<Integer, Integer> weights) {

    LabelTargets {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("a label needs at least one version");
        }
        weights.forEach((version, weight) -> {
            if (version < 1 || weight < 1) {
                throw new IllegalArgumentException("versions and weights must be positive, got %d:%d"
                        .formatted(version, weight));
            }
        });
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    static LabelTargets single(int version) {
        return new LabelTargets(Map.of(version, 1));
    }

    /** Parses the stored form, {@code 3} or {@code 3:90,4:10}. */
    static LabelTargets parse(String text) {
        Map<Integer, Integer> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] versionWeight = part.strip().split(":");
            weights.put(Integer.parseInt(versionWeight[0]),
                    versionWeight.length > 1 ? Integer.parseInt(versionWeight[1]) : 1);
        }
        return new LabelTargets(weights);
    }

    /** The stored form. */
    String text() {
        if (weights.size() == 1) {
            return weights.keySet().iterator().next().toString();
        }
        var text = new StringBuilder();
        weights.forEach((version, weight) -> text.append(text.isEmpty() ? "" : ",").append(version).append(':')
                .append(weight));
        return text.toString();
    }

    /** The version for a request; the same key always gets the same version. Null key: a random draw. */
    int pick(String routingKey) {
        if (weights.size() == 1) {
            return weights.keySet().iterator().next();
        }
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        long point = routingKey == null ? ThreadLocalRandom.current().nextInt(total)
                : Math.floorMod(hash(routingKey), (long) total);
        for (var entry : weights.entrySet()) {
            point -= entry.getValue();
            if (point < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("unreachable: the point is below the total weight");
    }

    /** A well-mixed 64-bit hash, so that keys that differ in one character land apart. */
    private static long hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = value << 8 | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
