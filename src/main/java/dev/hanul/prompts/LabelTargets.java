package dev.hanul.prompts;

import dev.hanul.split.StickySplit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The version for a request; the same key always gets the same version ({@link StickySplit}). */
    int pick(String routingKey) {
        return StickySplit.pick(List.copyOf(weights.entrySet()), Map.Entry::getValue, routingKey).getKey();
    }
}
