package dev.hanul.openai;

import dev.hanul.inference.OutputConstraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The structured output a request asks for, as OpenAI and vLLM spell it, translated into the façade's
 * {@link OutputConstraint}, with the field it came from (the error names that field). The engine enforces it by
 * constrained decoding; {@code response_format} also adds an instruction to answer in JSON (with the schema) to the
 * conversation, because a model that knows it should write JSON writes better JSON than one only forced to. vLLM's
 * {@code guided_*} fields add no instruction, as in vLLM.
 *
 * @param field       the request field the constraint came from
 * @param instruction a system instruction for chat, or null
 */
record StructuredOutput(OutputConstraint constraint, String field, String instruction) {

    static final String JSON_INSTRUCTION = "Respond only with a single valid JSON object, without any text before "
            + "or after it.";

    /** The structured output of the request, or null when it asks for free text. */
    static StructuredOutput of(StructuredOutputFields request) {
        List<StructuredOutput> asked = new ArrayList<>();
        add(asked, responseFormat(request.responseFormat()));
        add(asked, structuredOutputs(request.structuredOutputs()));
        if (present(request.guidedJson())) {
            add(asked, new StructuredOutput(new OutputConstraint.JsonSchema(schemaText(request.guidedJson(),
                    "guided_json")), "guided_json", null));
        }
        if (request.guidedRegex() != null) {
            add(asked, new StructuredOutput(new OutputConstraint.Regex(request.guidedRegex()), "guided_regex", null));
        }
        if (present(request.guidedChoice())) {
            add(asked, new StructuredOutput(choice(request.guidedChoice(), "guided_choice"), "guided_choice", null));
        }
        if (request.guidedGrammar() != null) {
            throw grammarRefused("guided_grammar");
        }
        if (asked.size() > 1) {
            throw OpenAiException.invalid(asked.get(1).field(), ("Only one kind of structured output can be asked "
                    + "for at a time; this request has %s and %s. Send one of them.").formatted(asked.get(0).field(),
                    asked.get(1).field()));
        }
        return asked.isEmpty() ? null : asked.getFirst();
    }

    /** The conversation with the instruction as (or added to) its first system message, when there is one. */
    List<Map<String, Object>> conversation(List<Map<String, Object>> messages) {
        if (instruction == null) {
            return messages;
        }
        var out = new ArrayList<>(messages);
        if (!out.isEmpty() && "system".equals(out.getFirst().get("role"))) {
            Map<String, Object> system = new LinkedHashMap<>(out.getFirst());
            Object content = system.get("content");
            system.put("content", (content == null ? "" : content + "\n\n") + instruction);
            out.set(0, system);
        } else {
            Map<String, Object> system = new LinkedHashMap<>();
            system.put("role", "system");
            system.put("content", instruction);
            out.addFirst(system);
        }
        return out;
    }

    private static void add(List<StructuredOutput> asked, StructuredOutput output) {
        if (output != null) {
            asked.add(output);
        }
    }

    private static StructuredOutput responseFormat(ResponseFormat format) {
        String type = format == null || format.type() == null ? "text" : format.type();
        return switch (type) {
            case "text" -> null;
            case "json_object" -> new StructuredOutput(new OutputConstraint.JsonObject(), "response_format",
                    JSON_INSTRUCTION);
            case "json_schema" -> {
                ResponseFormat.JsonSchema schema = format.jsonSchema();
                if (schema == null) {
                    throw OpenAiException.invalid("response_format.json_schema", "response_format.json_schema is "
                            + "missing; send {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"...\", "
                            + "\"schema\": {...}}}.");
                }
                if (schema.name() == null || !schema.name().matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw OpenAiException.invalid("response_format.json_schema.name", "response_format.json_schema."
                            + "name must be 1 to 64 letters, digits, underscores or dashes, got " + (schema.name()
                            == null ? "none" : "'" + schema.name() + "'") + ".");
                }
                JsonNode body = schema.schema();
                if (present(body) && !body.isObject()) {
                    throw OpenAiException.invalid("response_format.json_schema.schema", "response_format.json_schema"
                            + ".schema must be a JSON Schema object, got " + body.getNodeType().name().toLowerCase()
                            + ".");
                }
                String text = present(body) ? body.toString() : "{}";
                yield new StructuredOutput(new OutputConstraint.JsonSchema(text), "response_format.json_schema.schema",
                        "Respond only with JSON that is valid against this JSON Schema, without any text before or "
                                + "after it:\n" + text);
            }
            default -> throw OpenAiException.invalid("response_format.type", ("response_format.type '%s' is not "
                    + "supported; use text, json_object or json_schema.").formatted(type));
        };
    }

    /** vLLM's {@code structured_outputs}: one of json, regex, choice or json_object. */
    private static StructuredOutput structuredOutputs(JsonNode options) {
        if (!present(options)) {
            return null;
        }
        if (!options.isObject()) {
            throw OpenAiException.invalid("structured_outputs", "structured_outputs must be an object such as "
                    + "{\"json\": {...schema...}}, {\"regex\": \"...\"} or {\"choice\": [...]}.");
        }
        if (present(options.get("grammar"))) {
            throw grammarRefused("structured_outputs.grammar");
        }
        if (present(options.get("structural_tag"))) {
            throw OpenAiException.invalid("structured_outputs.structural_tag", "structured_outputs.structural_tag is "
                    + "not supported; use json, regex or choice, or tools for function calls.");
        }
        List<StructuredOutput> asked = new ArrayList<>();
        if (present(options.get("json"))) {
            asked.add(new StructuredOutput(new OutputConstraint.JsonSchema(schemaText(options.get("json"),
                    "structured_outputs.json")), "structured_outputs.json", null));
        }
        if (present(options.get("regex"))) {
            if (!options.get("regex").isString()) {
                throw OpenAiException.invalid("structured_outputs.regex", "structured_outputs.regex must be a string.");
            }
            asked.add(new StructuredOutput(new OutputConstraint.Regex(options.get("regex").stringValue()),
                    "structured_outputs.regex", null));
        }
        if (present(options.get("choice"))) {
            asked.add(new StructuredOutput(choice(options.get("choice"), "structured_outputs.choice"),
                    "structured_outputs.choice", null));
        }
        if (options.path("json_object").asBoolean(false)) {
            asked.add(new StructuredOutput(new OutputConstraint.JsonObject(), "structured_outputs.json_object",
                    null));
        }
        if (asked.size() > 1) {
            throw OpenAiException.invalid(asked.get(1).field(), "structured_outputs holds %s and %s; send only one."
                    .formatted(asked.get(0).field(), asked.get(1).field()));
        }
        if (asked.isEmpty()) {
            throw OpenAiException.invalid("structured_outputs", "structured_outputs asks for nothing; give one of "
                    + "json, regex, choice or json_object, or leave it out.");
        }
        return asked.getFirst();
    }

    /** A schema given as an object, or as its JSON text. */
    private static String schemaText(JsonNode schema, String field) {
        if (schema.isObject() || schema.isBoolean()) {
            return schema.toString();
        }
        if (schema.isString()) {
            return schema.stringValue();
        }
        throw OpenAiException.invalid(field, field + " must be a JSON Schema (an object, or its JSON text), got "
                + schema.getNodeType().name().toLowerCase() + ".");
    }

    private static OutputConstraint.Choice choice(JsonNode choices, String field) {
        if (!choices.isArray() || choices.isEmpty()) {
            throw OpenAiException.invalid(field, field + " must be a non-empty array of strings.");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            if (!choices.get(i).isString()) {
                throw OpenAiException.invalid(field + "[" + i + "]", field + "[" + i + "] must be a string.");
            }
            list.add(choices.get(i).stringValue());
        }
        return new OutputConstraint.Choice(list);
    }

    private static OpenAiException grammarRefused(String field) {
        return OpenAiException.invalid(field, field + " (a context-free grammar) is not supported; describe the "
                + "output with a JSON Schema (structured_outputs.json) or a regular expression "
                + "(structured_outputs.regex).");
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
