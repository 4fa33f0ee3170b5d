package dev.hanul.openai;

import tools.jackson.databind.JsonNode;

/**
 * The fields by which chat and text completion requests ask for structured output: OpenAI's {@code response_format}
 * and vLLM's {@code structured_outputs} with its older spellings {@code guided_json}, {@code guided_regex},
 * {@code guided_choice} and {@code guided_grammar}.
 */
interface StructuredOutputFields {

    ResponseFormat responseFormat();

    JsonNode structuredOutputs();

    JsonNode guidedJson();

    String guidedRegex();

    JsonNode guidedChoice();

    String guidedGrammar();
}
