package dev.hanul.openai;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertIsAnObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Structured outputs and tool calling over HTTP, on the OpenAI API's wire format, with stories260K sampling at
 * temperature 1 (a model that knows nothing of JSON or tools, so only constrained decoding can make the output valid):
 * OpenAI's {@code response_format: json_schema}, vLLM's {@code structured_outputs} and {@code guided_*} on chat and
 * completions, forced tool calls (non-streaming and OpenAI's streamed {@code tool_calls} deltas), vLLM's /tokenize
 * and /detokenize, /v1/models' extras, and the 400s that name the field at fault. Same settings as
 * {@link OpenAiApiTest}, so the two share one service.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-api", "hanul.model.threads=1",
                "hanul.model.max-running-sequences=8"})
class OpenAiStructuredOutputTest {

    static final String MODEL = OpenAiApiTest.MODEL;
    static final String PERSON = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
             "age": {"type": "integer", "minimum": 0, "maximum": 120}, "pet": {"enum": ["cat", "dog", null]}},
             "required": ["name", "age", "pet"], "additionalProperties": false}""";
    static final String WEATHER_TOOL = """
            {"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
             "parameters": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 16},
             "days": {"type": "integer", "minimum": 1, "maximum": 7}}, "required": ["city", "days"]}}}""";

    @LocalServerPort
    int port;

    OpenAiHttp http;

    @BeforeEach
    void connect() {
        http = new OpenAiHttp(port);
    }

    JsonNode ok(String path, String body) {
        HttpResponse<String> response = http.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OpenAiHttp.json(response.body());
    }

    /** The error object of a refused request, after checking its status and that it names the parameter. */
    JsonNode error(String path, String body, int status, String param) {
        HttpResponse<String> response = http.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = OpenAiHttp.json(response.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).as(response.body())
                .isEqualTo(param);
        return error;
    }

    static String chat(String extra) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "Once upon a time"}], "temperature": 1,
                 "seed": 7, "max_tokens": 120, %s}""".formatted(MODEL, extra);
    }

    static String completion(String extra) {
        return """
                {"model": "%s", "prompt": "Once upon a time", "temperature": 1, "seed": 7, "max_tokens": 120, %s}"""
                .formatted(MODEL, extra);
    }

    static void assertIsAPerson(String content) {
        JsonNode person = assertIsAnObject(content);
        assertThat(person.get("name").isString()).as(content).isTrue();
        assertThat(person.get("name").asString().length()).as(content).isLessThanOrEqualTo(12);
        assertThat(person.get("age").isInt()).as(content).isTrue();
        assertThat(person.get("age").asInt()).as(content).isBetween(0, 120);
        assertThat(person.get("pet").isNull() || List.of("cat", "dog").contains(person.get("pet").asString()))
                .as(content).isTrue();
        assertThat(person.size()).as(content).isEqualTo(3);
    }

    // --- structured output ---

    @Test
    void jsonSchemaResponseFormatGivesValidJsonForEverySample() {
        JsonNode body = ok("/v1/chat/completions", chat("""
                "n": 3, "response_format": {"type": "json_schema", "json_schema": {"name": "person", "strict": true,
                 "schema": %s}}""".formatted(PERSON)));
        for (JsonNode choice : body.get("choices")) {
            assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
            assertIsAPerson(choice.get("message").get("content").asString());
        }
    }

    @Test
    void vllmStructuredOutputsAndGuidedFieldsWorkOnChatAndCompletions() {
        assertIsAPerson(ok("/v1/completions", completion("\"structured_outputs\": {\"json\": " + PERSON + "}"))
                .get("choices").get(0).get("text").asString());
        assertIsAPerson(ok("/v1/completions", completion("\"guided_json\": " + OpenAiHttp.json(PERSON).toString()
                .replace("\"", "\\\"").transform(s -> "\"" + s + "\""))).get("choices").get(0).get("text").asString());
        for (int seed = 1; seed <= 3; seed++) {
            String choice = ok("/v1/chat/completions", chat("\"seed\": " + seed + ", \"n\": 2, \"guided_choice\": "
                    + "[\"yes\", \"no\", \"maybe so\"]")).get("choices").get(1).get("message").get("content")
                    .asString();
            assertThat(choice).isIn("yes", "no", "maybe so");
        }
        String code = ok("/v1/completions", completion("\"structured_outputs\": {\"regex\": \"[A-Z]{2}-[0-9]{3,5}\"}"))
                .get("choices").get(0).get("text").asString();
        assertThat(code).matches("[A-Z]{2}-[0-9]{3,5}");
        String word = ok("/v1/chat/completions", chat("\"guided_regex\": \"(cat|dog)s? [a-z]{1,8}\""))
                .get("choices").get(0).get("message").get("content").asString();
        assertThat(word).matches("(cat|dog)s? [a-z]{1,8}");
    }

    @Test
    void schemasThatCannotBeEnforcedAreRefusedNamingTheField() {
        JsonNode error = error("/v1/chat/completions", chat("""
                "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema":
                 {"type": "object", "properties": {"a": {"type": "strnig"}}}}}"""), 400,
                "response_format.json_schema.schema");
        assertThat(error.get("message").asString()).contains("strnig");
        error("/v1/completions", completion("\"guided_json\": {\"type\": \"object\", \"minProperties\": 2}"), 400,
                "guided_json");
        error("/v1/chat/completions", chat("\"structured_outputs\": {\"regex\": \"(unclosed\"}"), 400,
                "structured_outputs.regex");
        error("/v1/chat/completions", chat("\"response_format\": {\"type\": \"json_schema\"}"), 400,
                "response_format.json_schema");
        error("/v1/chat/completions", chat("\"response_format\": {\"type\": \"json_schema\", \"json_schema\": "
                + "{\"schema\": {}}}"), 400, "response_format.json_schema.name");
        error("/v1/chat/completions", chat("\"response_format\": {\"type\": \"json_object\"}, \"guided_regex\": "
                + "\"a+\""), 400, "guided_regex");
        error("/v1/chat/completions", chat("\"guided_grammar\": \"root ::= 'a'\""), 400, "guided_grammar");
        error("/v1/chat/completions", chat("\"guided_choice\": []"), 400, "guided_choice");
    }

    // --- vLLM's /tokenize and /detokenize, /v1/models ---

    @Test
    void tokenizeAndDetokenizeRoundTripInVllmsShapes() {
        JsonNode tokenized = ok("/tokenize", """
                {"model": "%s", "prompt": "Once upon a time", "return_token_strs": true}""".formatted(MODEL));
        int count = tokenized.get("count").asInt();
        assertThat(tokenized.get("tokens")).hasSize(count);
        assertThat(tokenized.get("token_strs")).hasSize(count);
        assertThat(tokenized.get("max_model_len").asInt()).isPositive();
        JsonNode plain = ok("/tokenize", """
                {"prompt": "Once upon a time", "add_special_tokens": false}""");
        assertThat(plain.get("count").asInt()).isLessThanOrEqualTo(count);
        assertThat(plain.get("token_strs").isNull()).isTrue();
        String text = ok("/detokenize", "{\"model\": \"%s\", \"tokens\": %s}".formatted(MODEL,
                plain.get("tokens"))).get("prompt").asString();
        assertThat(text.strip()).isEqualTo("Once upon a time");

        String messages = "[{\"role\": \"user\", \"content\": \"Once upon a time\"}]";
        int chatCount = ok("/tokenize", "{\"messages\": " + messages + "}").get("count").asInt();
        int promptTokens = ok("/v1/chat/completions", "{\"model\": \"%s\", \"max_tokens\": 1, \"messages\": %s}"
                .formatted(MODEL, messages)).get("usage").get("prompt_tokens").asInt();
        assertThat(chatCount).as("/tokenize counts a conversation as chat completions do").isEqualTo(promptTokens);
        int withTools = ok("/tokenize", "{\"messages\": %s, \"tools\": [%s]}".formatted(messages, WEATHER_TOOL))
                .get("count").asInt();
        assertThat(withTools).as("the tools are part of the prompt").isGreaterThan(chatCount);

        error("/tokenize", "{\"prompt\": \"a\", \"messages\": " + messages + "}", 400, "messages");
        error("/detokenize", "{\"tokens\": [1, -4]}", 400, "tokens");
    }

    @Test
    void modelCardsCarryTheContextLengthAndCapabilities() {
        JsonNode card = OpenAiHttp.json(http.get("/v1/models/" + MODEL).body());
        assertThat(card.get("max_model_len").asInt()).isPositive();
        assertThat(card.get("capabilities").valueStream().map(JsonNode::asString).toList())
                .contains("chat", "completion", "structured_outputs", "tools");
    }
}
