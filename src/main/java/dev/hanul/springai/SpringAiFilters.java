package dev.hanul.springai;

import dev.hanul.index.Filter;
import dev.hanul.index.MetadataValue;
import java.util.Collection;
import java.util.List;
import org.springframework.ai.vectorstore.filter.Filter.Expression;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.Filter.Group;
import org.springframework.ai.vectorstore.filter.Filter.Key;
import org.springframework.ai.vectorstore.filter.Filter.Operand;
import org.springframework.ai.vectorstore.filter.Filter.Value;

/**
 * Spring AI's portable filter expressions ({@code "genre == 'drama' && year >= 2020"}) as Hanul's metadata
 * {@link Filter}s, which run inside the kNN search. Hanul's ranges are inclusive, so a strict bound is the inclusive
 * range without the bound itself; IS NULL and IS NOT NULL have no counterpart and are refused with the reason.
 */
final class SpringAiFilters {

    private SpringAiFilters() {
    }

    /** @throws IllegalArgumentException naming the part of the expression Hanul cannot evaluate */
    static Filter toHanul(Expression expression) {
        if (expression == null) {
            return Filter.NONE;
        }
        return switch (expression.type()) {
            case AND -> Filter.and(operand(expression.left()), operand(expression.right()));
            case OR -> Filter.or(operand(expression.left()), operand(expression.right()));
            case NOT -> Filter.not(operand(expression.left()));
            case EQ -> Filter.exact(key(expression), value(expression));
            case NE -> Filter.not(Filter.exact(key(expression), value(expression)));
            case GTE -> Filter.range(key(expression), value(expression), null);
            case LTE -> Filter.range(key(expression), null, value(expression));
            case GT -> Filter.and(Filter.range(key(expression), value(expression), null),
                    Filter.not(Filter.exact(key(expression), value(expression))));
            case LT -> Filter.and(Filter.range(key(expression), null, value(expression)),
                    Filter.not(Filter.exact(key(expression), value(expression))));
            case IN -> Filter.anyOf(key(expression), values(expression));
            case NIN -> Filter.not(Filter.anyOf(key(expression), values(expression)));
            case ISNULL, ISNOTNULL -> throw new IllegalArgumentException(("Hanul's index cannot filter on whether "
                    + "'%s' is present (%s); filter on its values instead, e.g. %s IN [...]")
                    .formatted(key(expression), expression.type(), key(expression)));
        };
    }

    private static Filter operand(Operand operand) {
        return switch (operand) {
            case Expression expression -> toHanul(expression);
            case Group group -> toHanul(group.content());
            default -> throw new IllegalArgumentException("expected a condition, found " + operand);
        };
    }

    private static String key(Expression expression) {
        if (!(expression.left() instanceof Key(String key))) {
            throw new IllegalArgumentException("the left side of " + expression.type() + " must be a metadata key, "
                    + "found " + expression.left());
        }
        // The text parser keeps the quotes of a quoted key ('my key' or "my key").
        return key.length() > 1 && (key.startsWith("'") && key.endsWith("'") || key.startsWith("\"")
                && key.endsWith("\"")) ? key.substring(1, key.length() - 1) : key;
    }

    private static MetadataValue value(Expression expression) {
        if (!(expression.right() instanceof Value(Object value)) || value instanceof Collection<?>) {
            throw new IllegalArgumentException(expression.type() + " on '" + key(expression) + "' needs one value, "
                    + "found " + expression.right());
        }
        return SpringAiMetadata.toHanul(value);
    }

    private static List<MetadataValue> values(Expression expression) {
        if (!(expression.right() instanceof Value(Collection<?> values)) || values.isEmpty()) {
            throw new IllegalArgumentException(expression.type() + " on '" + key(expression) + "' needs a non-empty "
                    + "list of values, found " + expression.right());
        }
        return values.stream().map(SpringAiMetadata::toHanul).toList();
    }
}
