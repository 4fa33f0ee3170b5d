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
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.util.BytesRef;

import java.time.Instant;
import java.util.List;

/** Translates {@link Filter}s into Lucene queries over the fields {@link MetadataFields} writes. */
final class FilterQueries {

    private FilterQueries() {
    }

    static Query toQuery(Filter filter) {
        return switch (filter) {
            case Exact(String key, MetadataValue value) -> exact(MetadataFields.fieldName(key, value), value);
            case Range range -> range(range);
            case AnyOf(String key, List<MetadataValue> values) ->
                    anyOf(MetadataFields.fieldName(key, values.getFirst()), values);
            case And(List<Filter> filters) -> and(filters);
            case Or(List<Filter> filters) -> or(filters);
            case Not(Filter negated) -> new BooleanQuery.Builder()
                    .add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER)
                    .add(toQuery(negated), BooleanClause.Occur.MUST_NOT).build();
        };
    }

    /** All of {@code required}, with the filter's conditions; scores nothing, so it serves as a kNN pre-filter. */
    static Query scoped(Query required, Filter filter) {
        var query = new BooleanQuery.Builder().add(required, BooleanClause.Occur.FILTER);
        if (!filter.equals(Filter.NONE)) {
            query.add(toQuery(filter), BooleanClause.Occur.FILTER);
        }
        return query.build();
    }

    private static Query exact(String field, MetadataValue value) {
        return switch (value) {
            case Keyword(String s) -> KeywordField.newExactQuery(field, s);
            case LongValue(long l) -> LongField.newExactQuery(field, l);
            case DoubleValue(double d) -> DoubleField.newExactQuery(field, d);
            case Timestamp t -> LongField.newExactQuery(field, t.value().toEpochMilli());
        };
    }

    private static Query range(Range range) {
        MetadataValue typed = range.from() != null ? range.from() : range.to();
        String field = MetadataFields.fieldName(range.key(), typed);
        return switch (typed) {
            case Keyword k -> TermRangeQuery.newStringRange(field, keyword(range.from()), keyword(range.to()),
                    true, true);
            case LongValue l -> LongField.newRangeQuery(field, longBound(range.from(), Long.MIN_VALUE),
                    longBound(range.to(), Long.MAX_VALUE));
            case Timestamp t -> LongField.newRangeQuery(field, longBound(range.from(), Long.MIN_VALUE),
                    longBound(range.to(), Long.MAX_VALUE));
            case DoubleValue d -> DoubleField.newRangeQuery(field, doubleBound(range.from(), Double.NEGATIVE_INFINITY),
                    doubleBound(range.to(), Double.POSITIVE_INFINITY));
        };
    }

    private static Query anyOf(String field, List<MetadataValue> values) {
        return switch (values.getFirst()) {
            case Keyword k -> KeywordField.newSetQuery(field,
                    values.stream().map(v -> new BytesRef(((Keyword) v).value())).toList());
            case LongValue l -> LongField.newSetQuery(field,
                    values.stream().mapToLong(v -> ((LongValue) v).value()).toArray());
            case DoubleValue d -> DoubleField.newSetQuery(field,
                    values.stream().mapToDouble(v -> ((DoubleValue) v).value()).toArray());
            case Timestamp t -> LongField.newSetQuery(field,
                    values.stream().mapToLong(v -> ((Timestamp) v).value().toEpochMilli()).toArray());
        };
    }

    private static Query and(List<Filter> filters) {
        if (filters.isEmpty()) {
            return MatchAllDocsQuery.INSTANCE;
        }
        var query = new BooleanQuery.Builder();
        filters.forEach(f -> query.add(toQuery(f), BooleanClause.Occur.FILTER));
        return query.build();
    }

    private static Query or(List<Filter> filters) {
        if (filters.isEmpty()) {
            return MatchNoDocsQuery.INSTANCE;
        }
        var query = new BooleanQuery.Builder();
        filters.forEach(f -> query.add(toQuery(f), BooleanClause.Occur.SHOULD));
        // A filter scores nothing: wrapped, the disjunction only selects.
        return new ConstantScoreQuery(query.build());
    }

    // Range guarantees both bounds share one type, so the casts below cannot fail.
    private static String keyword(MetadataValue bound) {
        return bound == null ? null : ((Keyword) bound).value();
    }

    private static long longBound(MetadataValue bound, long open) {
        return switch (bound) {
            case null -> open;
            case LongValue(long l) -> l;
            case Timestamp(Instant t) -> t.toEpochMilli();
            default -> throw new IllegalStateException("not a whole-number bound: " + bound);
        };
    }

    private static double doubleBound(MetadataValue bound, double open) {
        return bound == null ? open : ((DoubleValue) bound).value();
    }
}
