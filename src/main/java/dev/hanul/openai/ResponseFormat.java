package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * {@code response_format}: {@code text} (the default), {@code json_object} or {@code json_schema}, as OpenAI defines
 * them; both JSON types are enforced by constrained decoding ({@link StructuredOutput}).
 *
 * @param jsonSchema for {@code json_schema}: the schema and its name
 */
public record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {

    /**
     * @param schema the JSON Schema the output must be valid against
     * @param strict OpenAI's strict mode; the schema is enforced either way, as vLLM does
     */
    public record JsonSchema(String name, String description, JsonNode schema, Boolean strict) {
    }
}
