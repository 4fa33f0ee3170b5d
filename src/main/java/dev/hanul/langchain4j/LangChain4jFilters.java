package dev.hanul.langchain4j;

import dev.hanul.index.Filter;
import dev.hanul.index.MetadataValue;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * LangChain4j's metadata filters as Hanul's, which run inside the kNN search. Hanul's ranges are inclusive, so a
 * strict bound is the inclusive range without the bound itself; a filter Hanul cannot evaluate (substring matching)
 * is refused with the reason.
 */
final class LangChain4jFilters {

    private LangChain4jFilters() {
    }

    static Filter toHanul(dev.langchain4j.store.embedding.filter.Filter filter) {
        return switch (filter) {
            case null -> Filter.NONE;
            case IsEqualTo f -> Filter.exact(f.key(), value(f.comparisonValue()));
            case IsNotEqualTo f -> Filter.not(Filter.exact(f.key(), value(f.comparisonValue())));
            case IsGreaterThanOrEqualTo f -> Filter.range(f.key(), value(f.comparisonValue()), null);
            case IsLessThanOrEqualTo f -> Filter.range(f.key(), null, value(f.comparisonValue()));
            case IsGreaterThan f -> Filter.and(Filter.range(f.key(), value(f.comparisonValue()), null),
                    Filter.not(Filter.exact(f.key(), value(f.comparisonValue()))));
            case IsLessThan f -> Filter.and(Filter.range(f.key(), null, value(f.comparisonValue())),
                    Filter.not(Filter.exact(f.key(), value(f.comparisonValue()))));
            case IsIn f -> Filter.anyOf(f.key(), values(f.comparisonValues()));
            case IsNotIn f -> Filter.not(Filter.anyOf(f.key(), values(f.comparisonValues())));
            case And f -> Filter.and(toHanul(f.left()), toHanul(f.right()));
            case Or f -> Filter.or(toHanul(f.left()), toHanul(f.right()));
            case Not f -> Filter.not(toHanul(f.expression()));
            default -> throw new IllegalArgumentException("Hanul's index cannot evaluate the filter " + filter
                    + "; use equality, ranges, IN, NOT IN, AND, OR and NOT");
        };
    }

    static MetadataValue value(Object value) {
        return switch (value) {
            case UUID uuid -> new MetadataValue.Keyword(uuid.toString());
            case Boolean b -> new MetadataValue.Keyword(b.toString());
            default -> MetadataValue.of(value);
        };
    }

    private static List<MetadataValue> values(Collection<?> values) {
        return values.stream().map(LangChain4jFilters::value).toList();
    }
}
