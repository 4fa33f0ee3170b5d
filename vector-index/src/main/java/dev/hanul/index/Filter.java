package dev.hanul.index;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A condition on metadata. Filters run inside the search (as the kNN query's filter and as a filter clause of the
 * BM25 query), so a search for the top k returns the k best chunks that match, never fewer because of filtering.
 * A multi-valued key matches when any of its values does.
 */
public sealed interface Filter {

    /** Matches everything: the conjunction of no conditions. */
    Filter NONE = new And(List.of());

    /** The key has exactly this value. */
    record Exact(String key, MetadataValue value) implements Filter {
        public Exact {
            Metadata.requireKey(key);
            Objects.requireNonNull(value, () -> "filter value for '" + key + "'");
        }
    }

    /**
     * The key has a value between {@code from} and {@code to}, both inclusive; a null bound is open. Bounds share a
     * type; keywords compare as strings.
     */
    record Range(String key, MetadataValue from, MetadataValue to) implements Filter {
        public Range {
            Metadata.requireKey(key);
            if (from == null && to == null) {
                throw new IllegalArgumentException("range filter on '" + key + "' needs at least one bound");
            }
            if (from != null && to != null && from.getClass() != to.getClass()) {
                throw new IllegalArgumentException("range filter on '" + key + "' mixes bound types "
                        + from.getClass().getSimpleName() + " and " + to.getClass().getSimpleName());
            }
        }
    }

    /** The key has one of these values (all of one type). */
    record AnyOf(String key, List<MetadataValue> values) implements Filter {
        public AnyOf {
            Metadata.requireKey(key);
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("in-set filter on '" + key + "' needs at least one value");
            }
            if (values.stream().map(Object::getClass).distinct().count() > 1) {
                throw new IllegalArgumentException("in-set filter on '" + key + "' mixes value types " + values);
            }
        }
    }

    /** All of these filters hold. */
    record And(List<Filter> filters) implements Filter {
        public And {
            filters = List.copyOf(filters);
        }
    }

    /** At least one of these filters holds; none matches nothing. */
    record Or(List<Filter> filters) implements Filter {
        public Or {
            filters = List.copyOf(filters);
        }
    }

    /** The filter does not hold (a record without the key matches). */
    record Not(Filter filter) implements Filter {
        public Not {
            Objects.requireNonNull(filter, "negated filter");
        }
    }

    static Filter exact(String key, Object value) {
        return new Exact(key, MetadataValue.of(value));
    }

    /** Inclusive range; pass null for an open end. */
    static Filter range(String key, Object from, Object to) {
        return new Range(key, from == null ? null : MetadataValue.of(from), to == null ? null : MetadataValue.of(to));
    }

    static Filter anyOf(String key, Collection<?> values) {
        return new AnyOf(key, values.stream().map(MetadataValue::of).toList());
    }

    static Filter anyOf(String key, Object... values) {
        return anyOf(key, Arrays.asList(values));
    }

    static Filter and(Filter... filters) {
        return new And(List.of(filters));
    }

    static Filter or(Filter... filters) {
        return new Or(List.of(filters));
    }

    static Filter not(Filter filter) {
        return new Not(filter);
    }
}
