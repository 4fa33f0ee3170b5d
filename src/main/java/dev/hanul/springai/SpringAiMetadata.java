package dev.hanul.springai;

import dev.hanul.index.Metadata;
import dev.hanul.index.MetadataValue;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spring AI document's metadata as the index's typed values and back. Strings, whole and decimal numbers and
 * instants keep their types (so ranges compare them by value); booleans become the keywords {@code true} and
 * {@code false}, on the way in and in filters alike; a collection is a multi-valued key.
 */
final class SpringAiMetadata {

    private SpringAiMetadata() {
    }

    /** @param reserved keys that are not metadata here (they name the chunk's document or tenant); left out */
    static Metadata toHanul(Map<String, Object> metadata, Collection<String> reserved) {
        var values = new LinkedHashMap<String, List<MetadataValue>>();
        metadata.forEach((key, value) -> {
            if (value == null || reserved.contains(key)) {
                return;
            }
            try {
                List<MetadataValue> converted = value instanceof Collection<?> many
                        ? many.stream().filter(v -> v != null).map(SpringAiMetadata::toHanul).toList()
                        : List.of(toHanul(value));
                if (!converted.isEmpty()) {
                    values.put(key, converted);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("metadata '" + key + "': " + e.getMessage(), e);
            }
        });
        return new Metadata(values);
    }

    static MetadataValue toHanul(Object value) {
        return switch (value) {
            case Boolean b -> new MetadataValue.Keyword(b.toString());
            case Date date -> new MetadataValue.Timestamp(date.toInstant());
            case Enum<?> e -> new MetadataValue.Keyword(e.name());
            case Character c -> new MetadataValue.Keyword(c.toString());
            default -> MetadataValue.of(value);
        };
    }

    static Map<String, Object> toSpringAi(Metadata metadata) {
        var values = new LinkedHashMap<String, Object>();
        metadata.values().forEach((key, list) -> values.put(key, list.size() == 1 ? plain(list.getFirst())
                : list.stream().map(SpringAiMetadata::plain).toList()));
        return values;
    }

    private static Object plain(MetadataValue value) {
        return switch (value) {
            case MetadataValue.Keyword(String s) -> s;
            case MetadataValue.LongValue(long l) -> l;
            case MetadataValue.DoubleValue(double d) -> d;
            case MetadataValue.Timestamp(Instant t) -> t;
        };
    }
}
