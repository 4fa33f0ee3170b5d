package dev.hanul.index;

import dev.hanul.index.MetadataValue.DoubleValue;
import dev.hanul.index.MetadataValue.Keyword;
import dev.hanul.index.MetadataValue.LongValue;
import dev.hanul.index.MetadataValue.Timestamp;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexableField;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How metadata maps to Lucene fields. Each value type gets its own field, named {@code m.<type>.<key>}, because
 * Lucene fixes a field's indexing per name: a key that holds a number in one chunk and a string in another would
 * otherwise be rejected. Keywords become keyword fields (terms plus doc values), numbers and timestamps point
 * fields with doc values, so exact, range and in-set filters are efficient both as kNN pre-filters and as clauses.
 */
final class MetadataFields {

    private static final String PREFIX = "m.";

    private MetadataFields() {
    }

    static String fieldName(String key, MetadataValue value) {
        return PREFIX + typeCode(value) + "." + key;
    }

    static void addTo(Document document, Metadata metadata) {
        metadata.values().forEach((key, values) -> values.forEach(value -> document.add(field(key, value))));
    }

    /** The metadata stored in a document loaded from the index. */
    static Metadata readFrom(Document stored) {
        Map<String, List<MetadataValue>> values = new LinkedHashMap<>();
        for (IndexableField field : stored.getFields()) {
            String name = field.name();
            if (name.startsWith(PREFIX)) {
                char type = name.charAt(PREFIX.length());
                String key = name.substring(PREFIX.length() + 2);
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value(type, field));
            }
        }
        return values.isEmpty() ? Metadata.EMPTY : new Metadata(values);
    }

    private static Field field(String key, MetadataValue value) {
        String name = fieldName(key, value);
        return switch (value) {
            case Keyword(String s) -> new KeywordField(name, s, Field.Store.YES);
            case LongValue(long l) -> new LongField(name, l, Field.Store.YES);
            case DoubleValue(double d) -> new DoubleField(name, d, Field.Store.YES);
            case Timestamp(Instant t) -> new LongField(name, t.toEpochMilli(), Field.Store.YES);
        };
    }

    private static char typeCode(MetadataValue value) {
        return switch (value) {
            case Keyword k -> 's';
            case LongValue l -> 'l';
            case DoubleValue d -> 'd';
            case Timestamp t -> 't';
        };
    }

    private static MetadataValue value(char type, IndexableField field) {
        return switch (type) {
            case 's' -> new Keyword(field.stringValue());
            case 'l' -> new LongValue(field.numericValue().longValue());
            case 'd' -> new DoubleValue(field.numericValue().doubleValue());
            case 't' -> new Timestamp(Instant.ofEpochMilli(field.numericValue().longValue()));
            default -> throw new IllegalStateException("unknown metadata field type in stored field " + field.name());
        };
    }
}
