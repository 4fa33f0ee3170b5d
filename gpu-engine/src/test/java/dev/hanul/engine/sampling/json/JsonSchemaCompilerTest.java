package dev.hanul.engine.sampling.json;

import static dev.hanul.engine.sampling.json.AutomatonAssertions.accepts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.brics.automaton.Automaton;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the automaton of a JSON Schema accepts and refuses, keyword by keyword. */
class JsonSchemaCompilerTest {

    /** The shape of schema the OpenAI SDK sends for a pydantic model (strict: every property required). */
    static final String PERSON = """
            {"type": "object", "title": "Person", "additionalProperties": false,
             "properties": {
               "name": {"type": "string", "title": "Name", "minLength": 1, "maxLength": 3},
               "age": {"type": "integer", "minimum": 0, "maximum": 130},
               "city": {"anyOf": [{"$ref": "#/$defs/City"}, {"type": "null"}]},
               "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 2}},
             "required": ["name", "age", "city", "tags"],
             "$defs": {"City": {"type": "string", "enum": ["서울", "Paris"]}}}""";

    @Test
    void anObjectWithEveryKindOfPropertyAcceptsValidTextsOnly() {
        Automaton person = JsonSchemaCompiler.compile(PERSON);
        for (String valid : List.of(
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"서울\", \"tags\": []}",
                "{\"name\":\"K\",\"age\":0,\"city\":null,\"tags\":[\"a\", \"b\"]}",
                "{\"name\": \"김민수\", \"age\": 130, \"city\": \"Paris\", \"tags\": [\"b\"]}")) {
            assertThat(accepts(person, valid)).as(valid).isTrue();
        }
        for (String invalid : List.of(
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"서울\"}",
                "{\"age\": 30, \"name\": \"Kim\", \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"\", \"age\": 30, \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"Kimmy\", \"age\": 30, \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"Kim\", \"age\": 131, \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"Kim\", \"age\": -1, \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"Kim\", \"age\": 030, \"city\": \"서울\", \"tags\": []}",
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"Tokyo\", \"tags\": []}",
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"서울\", \"tags\": [\"a\", \"a\", \"b\"]}",
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"서울\", \"tags\": [], \"x\": 1}",
                "{\"name\": \"Kim\", \"age\": 30, \"city\": \"서울\", \"tags\": []} ",
                "{\"name\":  \"Kim\", \"age\": 30, \"city\": \"서울\", \"tags\": []}")) {
            assertThat(accepts(person, invalid)).as(invalid).isFalse();
        }
    }

    @Test
    void optionalPropertiesMayBeLeftOutInAnyCombination() {
        Automaton a = JsonSchemaCompiler.compile("""
                {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"},
                 "c": {"type": "null"}}, "required": ["b"]}""");
        assertThat(accepts(a, "{\"b\": true}")).isTrue();
        assertThat(accepts(a, "{\"a\": 1, \"b\": false}")).isTrue();
        assertThat(accepts(a, "{\"b\": true, \"c\": null}")).isTrue();
        assertThat(accepts(a, "{\"a\": -5, \"b\": true, \"c\": null}")).isTrue();
        assertThat(accepts(a, "{}")).isFalse();
        assertThat(accepts(a, "{\"a\": 1}")).isFalse();
        assertThat(accepts(a, "{, \"b\": true}")).isFalse();
        Automaton none = JsonSchemaCompiler.compile("""
                {"type": "object", "properties": {"a": {"type": "integer"}}}""");
        assertThat(accepts(none, "{}")).isTrue();
        assertThat(accepts(none, "{\"a\": 2}")).isTrue();
    }

    @Test
    void numbersHonorTheirBounds() {
        Automaton between = JsonSchemaCompiler.compile("""
                {"type": "integer", "exclusiveMinimum": -3, "maximum": 1000}""");
        for (String n : List.of("-2", "-1", "0", "7", "999", "1000")) {
            assertThat(accepts(between, n)).as(n).isTrue();
        }
        for (String n : List.of("-3", "-0", "1001", "00", "1.0", "+5", "")) {
            assertThat(accepts(between, n)).as(n).isFalse();
        }
        Automaton large = JsonSchemaCompiler.compile("{\"type\": \"integer\", \"minimum\": 100}");
        assertThat(accepts(large, "100")).isTrue();
        assertThat(accepts(large, "12345")).isTrue();
        assertThat(accepts(large, "99")).isFalse();
        Automaton number = JsonSchemaCompiler.compile("{\"type\": \"number\", \"minimum\": 0}");
        for (String n : List.of("0", "3.25", "1e10", "0.5E-3", "12")) {
            assertThat(accepts(number, n)).as(n).isTrue();
        }
        for (String n : List.of("-1", ".5", "1.", "01", "1e")) {
            assertThat(accepts(number, n)).as(n).isFalse();
        }
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("{\"type\": \"number\", \"maximum\": 2.5}"))
                .hasMessageContaining("maximum on a number");
    }

    @Test
    void stringsHonorLengthPatternFormatAndEscapes() {
        Automaton code = JsonSchemaCompiler.compile("{\"type\": \"string\", \"pattern\": \"^[A-Z]{2}-\\\\d+$\"}");
        assertThat(accepts(code, "\"KR-42\"")).isTrue();
        assertThat(accepts(code, "\"kr-42\"")).isFalse();
        Automaton contains = JsonSchemaCompiler.compile("{\"type\": \"string\", \"pattern\": \"ab\"}");
        assertThat(accepts(contains, "\"xxabyy\"")).isTrue();
        assertThat(accepts(contains, "\"xxbayy\"")).isFalse();
        Automaton date = JsonSchemaCompiler.compile("{\"type\": \"string\", \"format\": \"date\"}");
        assertThat(accepts(date, "\"2026-12-03\"")).isTrue();
        assertThat(accepts(date, "\"2026-13-03\"")).isFalse();
        Automaton any = JsonSchemaCompiler.compile("{\"type\": \"string\", \"maxLength\": 4}");
        assertThat(accepts(any, "\"a\\\"b\\u00e9\"")).as("escapes count as one character each").isTrue();
        assertThat(accepts(any, "\"a\nb\"")).as("raw control characters are not JSON").isFalse();
        assertThat(accepts(any, "\"한국어문\"")).isTrue();
        assertThat(accepts(any, "\"한국어문장\"")).isFalse();
    }

    @Test
    void enumsConstsUnionsAndNullable() {
        Automaton a = JsonSchemaCompiler.compile("""
                {"anyOf": [{"const": {"k": [1, "x"]}}, {"type": ["boolean", "null"]},
                           {"type": "string", "enum": ["é", "a\\"b"], "nullable": true}]}""");
        for (String v : List.of("{\"k\":[1,\"x\"]}", "true", "false", "null", "\"é\"", "\"a\\\"b\"")) {
            assertThat(accepts(a, v)).as(v).isTrue();
        }
        assertThat(accepts(a, "\"e\"")).isFalse();
    }

    @Test
    void recursionIsCutAtTheDepthLimitAndFreeFormValuesAreJson() {
        Automaton tree = JsonSchemaCompiler.compile("""
                {"$ref": "#/$defs/node", "$defs": {"node": {"type": "object",
                  "properties": {"v": {"type": "integer"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
                  "required": ["v", "kids"]}}}""");
        assertThat(accepts(tree, "{\"v\": 1, \"kids\": [{\"v\": 2, \"kids\": []}]}")).isTrue();
        assertThat(accepts(tree, "{\"v\": 1, \"kids\": [{\"v\": 2}]}")).isFalse();
        Automaton free = JsonSchemaCompiler.compile("{\"type\": \"object\"}");
        assertThat(accepts(free, "{\"a\": [1, \"x\"], \"c\": {\"d\": null}}")).isTrue();
        assertThat(accepts(free, "{\"a\": [1, nul]}")).isFalse();
        assertThat(accepts(free, "{\"a\": [1, {\"b\": null}]}")).as("deeper than FREE_LEVELS").isFalse();
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("""
                {"$ref": "#/$defs/loop", "$defs": {"loop": {"type": "object", "properties": {"x": {"$ref": "#/$defs/loop"}},
                  "required": ["x"]}}}""")).hasMessageContaining("admits no value");
    }

    @Test
    void keywordsItCannotEnforceAreRefusedByName() {
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("{\"type\": \"array\", \"uniqueItems\": true}"))
                .hasMessageContaining("uniqueItems");
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("{\"type\": \"object\", \"patternProperties\": {}}"))
                .hasMessageContaining("'patternProperties' is not supported");
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("{\"type\": \"object\", \"required\": [\"x\"]}"))
                .hasMessageContaining("required property 'x'");
        assertThatThrownBy(() -> JsonSchemaCompiler.compile("{not json"))
                .hasMessageContaining("not valid JSON");
    }
}
