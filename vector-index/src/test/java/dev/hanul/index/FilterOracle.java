package dev.hanul.index;

import dev.hanul.index.Filter.And;
import dev.hanul.index.Filter.AnyOf;
import dev.hanul.index.Filter.Exact;
import dev.hanul.index.Filter.Not;
import dev.hanul.index.Filter.Or;
import dev.hanul.index.Filter.Range;
import dev.hanul.index.MetadataValue.DoubleValue;
import dev.hanul.index.MetadataValue.Keyword;
import dev.hanul.index.MetadataValue.LongValue;
import dev.hanul.index.MetadataValue.Timestamp;

/** What a filter means, evaluated on metadata in plain Java: the reference the Lucene translation is checked against. */
final class FilterOracle {

    private FilterOracle() {
    }

    static boolean matches(Filter filter, Metadata metadata) {
        return switch (filter) {
            case Exact(String key, MetadataValue value) -> metadata.get(key).contains(value);
            case AnyOf(String key, var values) -> metadata.get(key).stream().anyMatch(values::contains);
            case Range range -> metadata.get(range.key()).stream().anyMatch(v -> inRange(v, range));
            case And(var filters) -> filters.stream().allMatch(f -> matches(f, metadata));
            case Or(var filters) -> filters.stream().anyMatch(f -> matches(f, metadata));
            case Not(Filter negated) -> !matches(negated, metadata);
        };
    }

    private static boolean inRange(MetadataValue value, Range range) {
        MetadataValue typed = range.from() != null ? range.from() : range.to();
        if (value.getClass() != typed.getClass()) {
            return false;
        }
        return (range.from() == null || compare(value, range.from()) >= 0)
                && (range.to() == null || compare(value, range.to()) <= 0);
    }

    private static int compare(MetadataValue a, MetadataValue b) {
        return switch (a) {
            case Keyword(String s) -> s.compareTo(((Keyword) b).value());
            case LongValue(long l) -> Long.compare(l, ((LongValue) b).value());
            case DoubleValue(double d) -> Double.compare(d, ((DoubleValue) b).value());
            case Timestamp(var t) -> t.compareTo(((Timestamp) b).value());
        };
    }
}
