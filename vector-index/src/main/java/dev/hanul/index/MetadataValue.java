package dev.hanul.index;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One metadata value. The type decides how it is indexed and so which filters apply: keywords match exactly (and
 * compare as strings in ranges), numbers and timestamps by value.
 */
public sealed interface MetadataValue {

    /** An exact-match string: a source name, a tag, a language code. */
    record Keyword(String value) implements MetadataValue {
        public Keyword {
            Objects.requireNonNull(value, "keyword value");
        }
    }

    record LongValue(long value) implements MetadataValue {
    }

    record DoubleValue(double value) implements MetadataValue {
        public DoubleValue {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("a metadata number must not be NaN");
            }
        }
    }

    /** A point in time, kept to the millisecond (the index stores epoch milliseconds). */
    record Timestamp(Instant value) implements MetadataValue {
        public Timestamp {
            value = Objects.requireNonNull(value, "timestamp value").truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /**
     * The value for a plain Java object: String, Integer/Long/Short/Byte, Float/Double, Instant, or a MetadataValue.
     */
    static MetadataValue of(Object value) {
        return switch (value) {
            case MetadataValue v -> v;
            case String s -> new Keyword(s);
            case Long l -> new LongValue(l);
            case Integer i -> new LongValue(i);
            case Short s -> new LongValue(s);
            case Byte b -> new LongValue(b);
            case Double d -> new DoubleValue(d);
            case Float f -> new DoubleValue(f);
            case Instant t -> new Timestamp(t);
            case null -> throw new IllegalArgumentException("a metadata value must not be null");
            default -> throw new IllegalArgumentException("unsupported metadata value type " + value.getClass().getName()
                    + " (use String, a whole or decimal number, or Instant)");
        };
    }
}
