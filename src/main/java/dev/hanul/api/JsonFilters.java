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
     * @throws InvalidFilter naming the offending key and what to send instead
     */
    public static Filter parse(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Filter.NONE;
        }
        if (!node.isObject()) {
            throw new InvalidFilter(field, "", " must be a JSON object of metadata keys and conditions.");
        }
        List<Filter> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            conditions.add(condition(field, entry.getKey(), entry.getValue(), "." + entry.getKey()));
        }
        return conditions.size() == 1 ? conditions.getFirst() : new Filter.And(conditions);
    }

    /**
     * A filter that cannot be parsed: {@code field + path + problem} reads as one sentence, and an API that names the
     * field differently keeps the path and the problem.
     *
     * @param path where inside the filter object, such as {@code .year.gte}; empty for the object itself
     */
    public static final class InvalidFilter extends IllegalArgumentException {
        private final String path;
        private final String problem;

        InvalidFilter(String field, String path, String problem) {
            super(field + path + problem);
            this.path = path;
            this.problem = problem;
        }

        public String path() {
            return path;
        }

        public String problem() {
            return problem;
        }
    }

    private static Filter condition(String field, String key, JsonNode value, String path) {
        if (key.isBlank()) {
            // {"": "x"} or {" ": 1}: found by ChatRequestFuzzTest, it was a 500
            throw new InvalidFilter(field, "", " has an empty key; name the metadata key each condition is on.");
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw new InvalidFilter(field, path, " is an empty list, which nothing matches; leave it out.");
            }
            List<Object> values = new ArrayList<>();
            for (JsonNode element : value) {
                values.add(value(field, key, element, path));
            }
            try {
                return Filter.anyOf(key, values);
            } catch (IllegalArgumentException e) {
                // values of two types ([5, "five"]): found by ChatRequestFuzzTest, it was a 500
                throw new InvalidFilter(field, path, " mixes values of different types (numbers, text, true/false); "
                        + "give values of one type.");
            }
        }
        if (value.isObject()) {
            for (String bound : value.propertyNames()) {
                if (!bound.equals("gte") && !bound.equals("lte")) {
                    throw new InvalidFilter(field, path + "." + bound, " is not a range bound; use gte and/or lte "
                            + "(both inclusive).");
                }
            }
            JsonNode from = value.get("gte");
            JsonNode to = value.get("lte");
            if (from == null && to == null) {
                throw new InvalidFilter(field, path, " is a range without bounds; give gte and/or lte.");
            }
            Object lower = from == null ? null : value(field, key, from, path);
            Object upper = to == null ? null : value(field, key, to, path);
            try {
                return Filter.range(key, lower, upper);
            } catch (IllegalArgumentException e) {
                throw new InvalidFilter(field, path, ": " + e.getMessage());
            }
        }
        return Filter.exact(key, value(field, key, value, path));
    }

    private static Object value(String field, String key, JsonNode node, String path) {
        Object value;
        try {
            value = JsonMetadata.scalar(node, "");
        } catch (IllegalArgumentException e) {
            throw new InvalidFilter(field, path, e.getMessage());
        }
        if (TIMESTAMPS.contains(key) && value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidFilter(field, path, " '" + text + "' is not an ISO-8601 instant such as "
                        + "2026-01-31T12:00:00Z.");
            }
        }
        return value;
    }
}
