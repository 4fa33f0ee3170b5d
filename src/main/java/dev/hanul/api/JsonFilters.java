package dev.hanul.api;

import dev.hanul.index.Filter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Metadata filters as clients send them, all of which must hold:
 * <pre>
 * {"source": "handbook.pdf",              exact value
 *  "tags": ["hr", "policy"],              any of these values
 *  "year": {"gte": 2020, "lte": 2024},    inclusive range, either end open
 *  "ingestedAt": {"gte": "2026-01-01T00:00:00Z"}}
 * </pre>
 */
public final class JsonFilters {

    /** Keys whose values are timestamps in the index: their string values are parsed as ISO-8601 instants. */
    private static final Set<String> TIMESTAMPS = Set.of("ingestedAt");

    private JsonFilters() {
    }

    /**
     * @param field how the request names the object ("filters"), for error messages
     * @throws IllegalArgumentException naming the offending key and what to send instead
     */
    public static Filter parse(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Filter.NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object of metadata keys and conditions.");
        }
        List<Filter> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            conditions.add(condition(entry.getKey(), entry.getValue(), field + "." + entry.getKey()));
        }
        return conditions.size() == 1 ? conditions.getFirst() : new Filter.And(conditions);
    }

    private static Filter condition(String key, JsonNode value, String name) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " is an empty list, which nothing matches; leave it out.");
            }
            List<Object> values = new ArrayList<>();
            for (JsonNode element : value) {
                values.add(value(key, element, name));
            }
            return Filter.anyOf(key, values);
        }
        if (value.isObject()) {
            for (String bound : value.propertyNames()) {
                if (!bound.equals("gte") && !bound.equals("lte")) {
                    throw new IllegalArgumentException(name + "." + bound + " is not a range bound; use gte and/or "
                            + "lte (both inclusive).");
                }
            }
            JsonNode from = value.get("gte");
            JsonNode to = value.get("lte");
            if (from == null && to == null) {
                throw new IllegalArgumentException(name + " is a range without bounds; give gte and/or lte.");
            }
            try {
                return Filter.range(key, from == null ? null : value(key, from, name),
                        to == null ? null : value(key, to, name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage());
            }
        }
        return Filter.exact(key, value(key, value, name));
    }

    private static Object value(String key, JsonNode node, String name) {
        Object value = JsonMetadata.scalar(node, name);
        if (TIMESTAMPS.contains(key) && value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " '" + text + "' is not an ISO-8601 instant such as "
                        + "2026-01-31T12:00:00Z.");
            }
        }
        return value;
    }
}
