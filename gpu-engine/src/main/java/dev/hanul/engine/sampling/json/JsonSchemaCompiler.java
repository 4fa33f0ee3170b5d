package dev.hanul.engine.sampling.json;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compiles a JSON Schema into an automaton over UTF-8 bytes that accepts JSON texts valid against it, in the compact
 * layout models write ({@code {"a": 1, "b": [true, null]}}: one optional space after a colon or comma, no other
 * whitespace). What the automaton accepts is always valid; where the schema allows more than a finite automaton can
 * say, it accepts a valid part of it: properties come in the schema's order and only the declared ones are written
 * (additional properties are never required), recursion through {@code $ref} is cut at {@value #MAX_DEPTH} levels and
 * free-form values (no schema, {@code true}, an object without properties) at {@value #FREE_LEVELS} nested
 * containers, {@code oneOf} is read as {@code anyOf}, and numbers have at most
 * {@value #MAX_DIGITS} integer and fraction digits. Unknown {@code format}s are annotations, as the specification
 * says; keywords that would constrain the output in ways not enforced here are refused, with an
 * {@link IllegalArgumentException} that names them, rather than silently ignored.
 */
final class JsonSchemaCompiler {

    static final int MAX_DEPTH = 4;
    /** Containers a free-form value (no schema, {@code true}, an object without properties) may nest. */
    static final int FREE_LEVELS = 2;
    static final int MAX_DIGITS = 16;
    private static final int MAX_LENGTH = 10_000;

    /** Keywords that only describe; nothing to enforce. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$schema",
            "$id", "$comment", "deprecated", "readOnly", "writeOnly", "$defs", "definitions", "strict", "name",
            "contentMediaType", "contentEncoding", "discriminator");
    private static final Set<String> ENFORCED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "prefixItems", "minItems", "maxItems", "enum", "const", "anyOf", "oneOf", "allOf", "$ref",
            "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "nullable", "uniqueItems");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Automaton SPACE = BasicAutomata.makeChar(' ').optional();
    private static final Automaton DIGIT = Utf8Automata.byteRange('0', '9');
    private static final Automaton HEX = Automaton.union(List.of(DIGIT, Utf8Automata.byteRange('a', 'f'),
            Utf8Automata.byteRange('A', 'F')));
    /** One character of a JSON string's text: any character but '"', '\\' and controls, or an escape. */
    private static final Automaton STRING_CHARACTER = Utf8Automata.anyCharacter()
            .minus(Automaton.union(List.of(BasicAutomata.makeChar('"'), BasicAutomata.makeChar('\\'),
                    Utf8Automata.byteRange(0, 0x1F))))
            .union(BasicAutomata.makeChar('\\').concatenate(BasicAutomata.makeCharSet("\"\\/bfnrt")
                    .union(BasicAutomata.makeChar('u').concatenate(HEX.repeat(4, 4)))));
    private static final Map<String, String> FORMATS = Map.of(
            "date", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
            "time", "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
            "date-time", "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                    + "(\\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
            "uuid", "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            "email", "[a-zA-Z0-9._%+-]{1,64}@[a-zA-Z0-9-]{1,63}(\\.[a-zA-Z0-9-]{1,63}){0,4}\\.[a-zA-Z]{2,24}",
            "ipv4", "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private final JsonNode root;
    private final Deque<String> references = new ArrayDeque<>();
    /** Free-form values by depth: built once per compilation, they are large and asked for often. */
    private final Map<Integer, Automaton> anyValues = new java.util.HashMap<>();
    private final Map<Integer, Automaton> freeObjects = new java.util.HashMap<>();

    private JsonSchemaCompiler(JsonNode root) {
        this.root = root;
    }

    /** The automaton of {@code schema} (a JSON Schema document as text). */
    static Automaton compile(String schema) {
        JsonNode root;
        try {
            root = JSON.readTree(schema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the JSON schema is not valid JSON: " + e.getMessage());
        }
        Automaton automaton = new JsonSchemaCompiler(root).value(root, "#", 0);
        if (automaton.isEmpty()) {
            throw new IllegalArgumentException("the JSON schema admits no value this engine can generate (a recursion "
                    + "without a way out within " + MAX_DEPTH + " levels, or contradictory keywords)");
        }
        automaton.minimize();
        return automaton;
    }

    private Automaton value(JsonNode schema, String path, int depth) {
        if (schema.isBoolean()) {
            return schema.asBoolean() ? anyValue(FREE_LEVELS) : BasicAutomata.makeEmpty();
        }
        if (!schema.isObject()) {
            throw error(path, "a schema must be an object or a boolean");
        }
        checkKeywords(schema, path);
        Automaton result = dispatch(schema, path, depth);
        if (schema.path("nullable").asBoolean(false)) {
            result = result.union(Utf8Automata.literal("null"));
        }
        // Minimal pieces keep the products of later concatenations and intersections small.
        result.minimize();
        return result;
    }

    private Automaton dispatch(JsonNode schema, String path, int depth) {
        if (schema.has("$ref")) {
            return reference(schema.get("$ref").asString(), path, depth);
        }
        if (schema.has("const")) {
            return Utf8Automata.literal(JSON.writeValueAsString(schema.get("const")));
        }
        if (schema.has("enum")) {
            List<Automaton> values = new ArrayList<>();
            for (JsonNode v : schema.get("enum")) {
                values.add(Utf8Automata.literal(JSON.writeValueAsString(v)));
            }
            return Automaton.union(values);
        }
        for (String combinator : new String[] {"anyOf", "oneOf"}) {
            if (schema.has(combinator)) {
                List<Automaton> branches = new ArrayList<>();
                int i = 0;
                for (JsonNode branch : schema.get(combinator)) {
                    branches.add(value(merged(schema, branch, combinator), path + "/" + combinator + "/" + i++, depth));
                }
                return Automaton.union(branches);
            }
        }
        if (schema.has("allOf")) {
            JsonNode all = schema.get("allOf");
            if (all.size() != 1) {
                throw error(path, "allOf with more than one schema is not supported; merge them into one schema");
            }
            return value(merged(schema, all.get(0), "allOf"), path + "/allOf/0", depth);
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            type = inferType(schema);
            if (type == null) {
                return anyValue(FREE_LEVELS);
            }
        }
        if (type.isArray()) {
            List<Automaton> branches = new ArrayList<>();
            for (JsonNode t : type) {
                branches.add(typed(t.asString(), schema, path, depth));
            }
            return Automaton.union(branches);
        }
        return typed(type.asString(), schema, path, depth);
    }

    /** A branch of anyOf/oneOf/allOf with the keywords of the schema around it (minus the combinator). */
    private static JsonNode merged(JsonNode outer, JsonNode branch, String combinator) {
        var copy = ((tools.jackson.databind.node.ObjectNode) outer).deepCopy();
        copy.remove(combinator);
        copy.remove("nullable");
        if (branch.isObject()) {
            copy.setAll((tools.jackson.databind.node.ObjectNode) branch);
        } else if (branch.isBoolean() && !branch.asBoolean()) {
            return branch;
        }
        return copy;
    }

    private static JsonNode inferType(JsonNode schema) {
        if (schema.has("properties") || schema.has("required") || schema.has("additionalProperties")) {
            return JSON.getNodeFactory().stringNode("object");
        }
        if (schema.has("items") || schema.has("prefixItems")) {
            return JSON.getNodeFactory().stringNode("array");
        }
        if (schema.has("pattern") || schema.has("format") || schema.has("minLength") || schema.has("maxLength")) {
            return JSON.getNodeFactory().stringNode("string");
        }
        return null;
    }

    private Automaton typed(String type, JsonNode schema, String path, int depth) {
        return switch (type) {
            case "object" -> object(schema, path, depth);
            case "array" -> array(schema, path, depth);
            case "string" -> string(schema, path);
            case "integer" -> integer(schema, path);
            case "number" -> number(schema, path);
            case "boolean" -> Utf8Automata.literal("true").union(Utf8Automata.literal("false"));
            case "null" -> Utf8Automata.literal("null");
            default -> throw error(path, "unknown type '" + type + "'");
        };
    }

    private Automaton reference(String ref, String path, int depth) {
        if (!ref.startsWith("#")) {
            throw error(path, "only local references (#/$defs/...) are supported, not '" + ref + "'");
        }
        if (references.stream().filter(ref::equals).count() >= MAX_DEPTH - 1) {
            return BasicAutomata.makeEmpty();
        }
        JsonNode target = root.at(ref.substring(1));
        if (target.isMissingNode()) {
            throw error(path, "the reference '" + ref + "' points to nothing");
        }
        references.push(ref);
        try {
            return value(target, ref, depth);
        } finally {
            references.pop();
        }
    }

    private Automaton object(JsonNode schema, String path, int depth) {
        if (depth >= MAX_DEPTH) {
            return BasicAutomata.makeEmpty();
        }
        JsonNode properties = schema.path("properties");
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        for (String name : required) {
            if (!properties.has(name)) {
                throw error(path, "required property '" + name + "' has no schema under properties; declare it");
            }
        }
        List<Automaton> members = new ArrayList<>();
        List<Boolean> mandatory = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            Automaton valueAutomaton = value(property.getValue(), path + "/properties/" + property.getKey(), depth + 1);
            members.add(Automaton.concatenate(List.of(
                    Utf8Automata.literal(JSON.writeValueAsString(property.getKey())),
                    BasicAutomata.makeChar(':'), SPACE, valueAutomaton)));
            mandatory.add(required.contains(property.getKey()));
        }
        if (members.isEmpty() && !schema.path("additionalProperties").isBoolean()
                && !schema.has("properties")) {
            // A free-form object: any members, with values cut at FREE_LEVELS containers.
            return freeObject(FREE_LEVELS);
        }
        // after[i]: members i.. once one was written (each preceded by a comma); start[i]: none written yet.
        int n = members.size();
        Automaton[] after = new Automaton[n + 1];
        after[n] = BasicAutomata.makeEmptyString();
        for (int i = n - 1; i >= 0; i--) {
            Automaton item = Automaton.concatenate(List.of(BasicAutomata.makeChar(','), SPACE, members.get(i)));
            after[i] = (mandatory.get(i) ? item : item.optional()).concatenate(after[i + 1]);
        }
        Automaton start = BasicAutomata.makeEmptyString();
        for (int i = n - 1; i >= 0; i--) {
            Automaton written = members.get(i).concatenate(after[i + 1]);
            start = mandatory.get(i) ? written : written.union(start);
        }
        return Automaton.concatenate(List.of(BasicAutomata.makeChar('{'), start, BasicAutomata.makeChar('}')));
    }

    private Automaton array(JsonNode schema, String path, int depth) {
        if (depth >= MAX_DEPTH) {
            return BasicAutomata.makeEmpty();
        }
        if (schema.path("uniqueItems").asBoolean(false)) {
            throw error(path, "uniqueItems cannot be enforced by an automaton; drop it or check the items afterwards");
        }
        List<Automaton> prefix = new ArrayList<>();
        int i = 0;
        for (JsonNode item : schema.path("prefixItems")) {
            prefix.add(value(item, path + "/prefixItems/" + i++, depth + 1));
        }
        JsonNode itemsSchema = schema.get("items");
        Automaton item = itemsSchema == null ? anyValue(FREE_LEVELS) : value(itemsSchema, path + "/items", depth + 1);
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : -1;
        if (max >= 0 && max < min) {
            throw error(path, "maxItems is less than minItems");
        }
        Automaton separator = BasicAutomata.makeChar(',').concatenate(SPACE);
        // The sequence of elements: the prefix items in order, then items up to the count limits.
        List<Automaton> elements = new ArrayList<>(prefix);
        int rest = Math.max(0, min - prefix.size());
        Automaton sequence = BasicAutomata.makeEmptyString();
        boolean first = true;
        for (Automaton element : elements) {
            sequence = sequence.concatenate(first ? element : separator.concatenate(element));
            first = false;
        }
        Automaton more = separator.concatenate(item);
        Automaton tail;
        if (max >= 0) {
            int extra = max - prefix.size();
            if (extra < 0) {
                throw error(path, "maxItems is less than the number of prefixItems");
            }
            tail = extra == 0 ? BasicAutomata.makeEmptyString() : more.repeat(rest, extra);
        } else {
            tail = more.repeat(rest);
        }
        Automaton body;
        if (first) {
            // No prefix: the first element has no comma before it.
            Automaton nonEmpty = item.concatenate(max >= 0
                    ? (max == 0 ? BasicAutomata.makeEmpty() : more.repeat(Math.max(0, min - 1), max - 1))
                    : more.repeat(Math.max(0, min - 1)));
            body = min == 0 ? nonEmpty.union(BasicAutomata.makeEmptyString()) : nonEmpty;
            if (max == 0) {
                body = BasicAutomata.makeEmptyString();
            }
        } else {
            body = sequence.concatenate(tail);
        }
        return Automaton.concatenate(List.of(BasicAutomata.makeChar('['), body, BasicAutomata.makeChar(']')));
    }

    private Automaton string(JsonNode schema, String path) {
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : -1;
        if (max > MAX_LENGTH || min > MAX_LENGTH || max >= 0 && max < min) {
            throw error(path, "minLength/maxLength must satisfy 0 <= minLength <= maxLength <= " + MAX_LENGTH);
        }
        Automaton content = max >= 0 ? STRING_CHARACTER.repeat(min, max) : STRING_CHARACTER.repeat(min);
        if (schema.has("pattern")) {
            content = content.intersection(pattern(schema.get("pattern").asString(), path));
        }
        String format = schema.path("format").asString(null);
        if (format != null && FORMATS.containsKey(format)) {
            content = content.intersection(RegexCompiler.compile(FORMATS.get(format)));
        }
        return Automaton.concatenate(List.of(BasicAutomata.makeChar('"'), content, BasicAutomata.makeChar('"')));
    }

    /** A JSON Schema pattern searches the string: unanchored ends may hold any text. */
    private static Automaton pattern(String regex, String path) {
        boolean anchoredStart = regex.startsWith("^");
        boolean anchoredEnd = regex.endsWith("$") && !regex.endsWith("\\$");
        Automaton core;
        try {
            core = RegexCompiler.compile(regex);
        } catch (IllegalArgumentException e) {
            throw error(path, e.getMessage());
        }
        Automaton any = STRING_CHARACTER.repeat();
        return Automaton.concatenate(List.of(anchoredStart ? BasicAutomata.makeEmptyString() : any, core,
                anchoredEnd ? BasicAutomata.makeEmptyString() : any));
    }

    private Automaton integer(JsonNode schema, String path) {
        BigInteger min = bound(schema, "minimum", "exclusiveMinimum", 1, path);
        BigInteger max = bound(schema, "maximum", "exclusiveMaximum", -1, path);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw error(path, "minimum is greater than maximum");
        }
        List<Automaton> parts = new ArrayList<>();
        if (max == null || max.signum() >= 0) {
            parts.add(naturals(min == null ? BigInteger.ZERO : min.max(BigInteger.ZERO), max));
        }
        if (min == null || min.signum() < 0) {
            BigInteger low = max == null || max.signum() >= 0 ? BigInteger.ONE : max.negate();
            parts.add(BasicAutomata.makeChar('-').concatenate(naturals(low, min == null ? null : min.negate())));
        }
        return Automaton.union(parts);
    }

    /** Decimal integers in [low, high] without leading zeros (high null: up to MAX_DIGITS digits). */
    private static Automaton naturals(BigInteger low, BigInteger high) {
        Automaton canonical = BasicAutomata.makeChar('0').union(Utf8Automata.byteRange('1', '9')
                .concatenate(DIGIT.repeat(0, MAX_DIGITS - 1)));
        Automaton result = canonical.intersection(BasicAutomata.makeMinInteger(low.toString()));
        if (high != null) {
            result = result.intersection(BasicAutomata.makeMaxInteger(high.toString()));
        }
        return result;
    }

    /** An integer bound: the inclusive keyword, or the exclusive one moved by {@code step} to be inclusive. */
    private static BigInteger bound(JsonNode schema, String inclusive, String exclusive, int step, String path) {
        BigInteger result = null;
        for (String keyword : new String[] {inclusive, exclusive}) {
            JsonNode node = schema.get(keyword);
            if (node == null || node.isBoolean()) {
                continue;
            }
            if (!node.isNumber()) {
                throw error(path, keyword + " must be a number");
            }
            var decimal = node.decimalValue();
            BigInteger value = step > 0
                    ? decimal.setScale(0, java.math.RoundingMode.CEILING).toBigInteger()
                    : decimal.setScale(0, java.math.RoundingMode.FLOOR).toBigInteger();
            if (keyword.equals(exclusive) && decimal.stripTrailingZeros().scale() <= 0) {
                value = value.add(BigInteger.valueOf(step));
            }
            result = result == null ? value : step > 0 ? result.max(value) : result.min(value);
        }
        return result;
    }

    private Automaton number(JsonNode schema, String path) {
        for (String keyword : new String[] {"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"}) {
            JsonNode node = schema.get(keyword);
            if (node != null && !(keyword.equals("minimum") && node.isNumber() && node.decimalValue().signum() == 0)) {
                throw error(path, keyword + " on a number is enforced only as minimum: 0; use type integer for "
                        + "other bounds, or drop the keyword and check the value afterwards");
            }
        }
        boolean nonNegative = schema.has("minimum");
        Automaton integerPart = BasicAutomata.makeChar('0').union(Utf8Automata.byteRange('1', '9')
                .concatenate(DIGIT.repeat(0, MAX_DIGITS - 1)));
        Automaton fraction = BasicAutomata.makeChar('.').concatenate(DIGIT.repeat(1, MAX_DIGITS)).optional();
        Automaton exponent = Automaton.concatenate(List.of(BasicAutomata.makeCharSet("eE"),
                BasicAutomata.makeCharSet("+-").optional(), DIGIT.repeat(1, 3))).optional();
        Automaton sign = nonNegative ? BasicAutomata.makeEmptyString() : BasicAutomata.makeChar('-').optional();
        return Automaton.concatenate(List.of(sign, integerPart, fraction, exponent));
    }

    /** Any JSON value with at most {@code levels} nested containers (scalars only at 0). */
    private Automaton anyValue(int levels) {
        Automaton known = anyValues.get(levels);
        if (known == null) {
            List<Automaton> kinds = new ArrayList<>(List.of(
                    string(JSON.createObjectNode(), "#"),
                    number(JSON.createObjectNode(), "#"),
                    Utf8Automata.literal("true"), Utf8Automata.literal("false"), Utf8Automata.literal("null")));
            if (levels > 0) {
                kinds.add(freeObject(levels));
                Automaton item = anyValue(levels - 1);
                Automaton items = item.concatenate(BasicAutomata.makeChar(',').concatenate(SPACE)
                        .concatenate(item).repeat()).optional();
                kinds.add(Automaton.concatenate(List.of(BasicAutomata.makeChar('['), items,
                        BasicAutomata.makeChar(']'))));
            }
            known = Automaton.union(kinds);
            known.minimize();
            anyValues.put(levels, known);
        }
        return known.clone();
    }

    /** An object with any members, their values holding at most {@code levels - 1} nested containers. */
    private Automaton freeObject(int levels) {
        Automaton known = freeObjects.get(levels);
        if (known == null) {
            Automaton member = Automaton.concatenate(List.of(string(JSON.createObjectNode(), "#"),
                    BasicAutomata.makeChar(':'), SPACE, anyValue(levels - 1)));
            Automaton members = member.concatenate(BasicAutomata.makeChar(',').concatenate(SPACE)
                    .concatenate(member).repeat()).optional();
            known = Automaton.concatenate(List.of(BasicAutomata.makeChar('{'), members, BasicAutomata.makeChar('}')));
            known.minimize();
            freeObjects.put(levels, known);
        }
        return known.clone();
    }

    private static void checkKeywords(JsonNode schema, String path) {
        for (String keyword : schema.propertyNames()) {
            if (!ENFORCED.contains(keyword) && !ANNOTATIONS.contains(keyword) && !keyword.startsWith("x-")) {
                throw error(path, "the keyword '" + keyword + "' is not supported by constrained decoding "
                        + "(supported: " + String.join(", ", new java.util.TreeSet<>(ENFORCED)) + ")");
            }
        }
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private static IllegalArgumentException error(String path, String what) {
        return new IllegalArgumentException("JSON schema at " + path + ": " + what);
    }
}
