package dev.hanul.index;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named metadata of a chunk or vector: each key holds one or more values (several for tags). Every value is indexed
 * so that {@link Filter}s can select on it.
 */
public record Metadata(Map<String, List<MetadataValue>> values) {

    public static final Metadata EMPTY = new Metadata(Map.of());

    public Metadata {
        Objects.requireNonNull(values, "metadata values");
        var copy = new LinkedHashMap<String, List<MetadataValue>>();
        values.forEach((key, list) -> {
            requireKey(key);
            if (list == null || list.isEmpty()) {
                throw new IllegalArgumentException("metadata key '" + key + "' has no values");
            }
            copy.put(key, List.copyOf(list));
        });
        values = Collections.unmodifiableMap(copy);
    }

    /**
     * Metadata from plain Java values: each map value is one value ({@link MetadataValue#of}) or a collection of
     * them (a multi-valued key such as tags).
     */
    public static Metadata of(Map<String, ?> raw) {
        var values = new LinkedHashMap<String, List<MetadataValue>>();
        raw.forEach((key, value) -> {
            try {
                values.put(key, value instanceof Collection<?> many
                        ? many.stream().map(MetadataValue::of).toList()
                        : List.of(MetadataValue.of(value)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metadata key '" + key + "': " + e.getMessage(), e);
            }
        });
        return new Metadata(values);
    }

    /** The key's values, or an empty list. */
    public List<MetadataValue> get(String key) {
        return values.getOrDefault(key, List.of());
    }

    static void requireKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a metadata key must not be blank");
        }
    }
}
