package dev.hanul.api;

import dev.hanul.index.Metadata;
import dev.hanul.index.MetadataValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Metadata as clients send it: a flat JSON object whose values are strings, numbers, booleans or flat arrays of them
 * (a multi-valued key such as tags). Booleans become the strings "true" and "false", so they filter as keywords.
 */
public final class JsonMetadata {

    private JsonMetadata() {
    }

    /**
     * String, Long or Double values (or lists of them) by key; an empty map for null.
     *
     * @param field how the request names the object ("metadata", "vectors[3].metadata"), for error messages
     * @throws IllegalArgumentException naming the offending field and what to send instead
     */
    public static Map<String, Object> values(JsonNode node, String field) {
        var values = new LinkedHashMap<String, Object>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return values;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object of keys and values, got "
                    + node.getNodeType().name().toLowerCase() + ".");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = field + "." + entry.getKey();
            if (entry.getKey().isBlank()) {
                throw new IllegalArgumentException(field + " has an empty key; name every key.");
            }
            values.put(entry.getKey(), entry.getValue().isArray() ? list(entry.getValue(), name)
                    : scalar(entry.getValue(), name));
        }
        return values;
    }

    /** One value: a String, Long or Double. */
    public static Object scalar(JsonNode value, String name) {
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.booleanValue());
        }
        throw new IllegalArgumentException(name + " is " + value.getNodeType().name().toLowerCase()
                + "; values must be strings, numbers, booleans or flat arrays of them.");
    }

    /** Index metadata as plain JSON values: a single value as itself, several as a list, timestamps as ISO-8601. */
    public static Map<String, Object> toJson(Metadata metadata) {
        var json = new LinkedHashMap<String, Object>();
        metadata.values().forEach((key, values) -> {
            List<Object> plain = values.stream().map(JsonMetadata::plain).toList();
            json.put(key, plain.size() == 1 ? plain.getFirst() : plain);
        });
        return json;
    }

    private static Object plain(MetadataValue value) {
        return switch (value) {
            case MetadataValue.Keyword(String s) -> s;
            case MetadataValue.LongValue(long l) -> l;
            case MetadataValue.DoubleValue(double d) -> d;
            case MetadataValue.Timestamp(Instant t) -> t.toString();
        };
    }

    private static List<Object> list(JsonNode array, String name) {
        if (array.isEmpty()) {
            throw new IllegalArgumentException(name + " is an empty array; leave the key out instead.");
        }
        var list = new ArrayList<Object>(array.size());
        for (JsonNode element : array) {
            if (element.isArray() || element.isObject()) {
                throw new IllegalArgumentException(name + " holds a nested " + element.getNodeType().name()
                        .toLowerCase() + "; use a flat array of values.");
            }
            list.add(scalar(element, name));
        }
        return list;
    }
}
