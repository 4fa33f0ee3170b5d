package dev.hanul.index.solrcloud;

import dev.hanul.index.Filter;
import dev.hanul.index.Filter.AnyOf;
import dev.hanul.index.Filter.And;
import dev.hanul.index.Filter.Exact;
import dev.hanul.index.Filter.Not;
import dev.hanul.index.Filter.Or;
import dev.hanul.index.Filter.Range;
import dev.hanul.index.MetadataValue;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.util.ClientUtils;

/**
 * Translates {@link Filter}s into Solr's standard query syntax over the fields {@link SolrChunks} writes. The same
 * string serves as a filter query (fq: scores nothing, and is the kNN query's pre-filter) and as a delete-by-query.
 * Every value is quoted, so no value is ever read as query syntax.
 */
final class SolrFilters {

    private SolrFilters() {
    }

    static String toQuery(Filter filter) {
        return switch (filter) {
            case Exact(String key, MetadataValue value) -> field(key, value) + ":" + quoted(value);
            case Range range -> range(range);
            case AnyOf(String key, List<MetadataValue> values) -> values.stream()
                    .map(value -> field(key, value) + ":" + quoted(value))
                    .collect(Collectors.joining(" OR ", "(", ")"));
            case And(List<Filter> filters) -> filters.isEmpty() ? "*:*"
                    : filters.stream().map(f -> "+(" + toQuery(f) + ")").collect(Collectors.joining(" ", "(", ")"));
            case Or(List<Filter> filters) -> filters.isEmpty() ? "(*:* -*:*)"
                    : filters.stream().map(f -> "(" + toQuery(f) + ")").collect(Collectors.joining(" OR ", "(", ")"));
            case Not(Filter negated) -> "(*:* -(" + toQuery(negated) + "))";
        };
    }

    /** A field and a value that must match exactly. */
    static String term(String field, String value) {
        return field + ":" + quote(value);
    }

    private static String range(Range range) {
        MetadataValue typed = range.from() != null ? range.from() : range.to();
        return field(range.key(), typed) + ":[" + bound(range.from()) + " TO " + bound(range.to()) + "]";
    }

    private static String bound(MetadataValue value) {
        return value == null ? "*" : quoted(value);
    }

    private static String field(String key, MetadataValue value) {
        return ClientUtils.escapeQueryChars(SolrChunks.metadataField(key, value));
    }

    private static String quoted(MetadataValue value) {
        return quote(SolrChunks.indexedValue(value).toString());
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
