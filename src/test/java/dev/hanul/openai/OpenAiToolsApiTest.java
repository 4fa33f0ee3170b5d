package dev.hanul.openai;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertIsAnObject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Tool calling over HTTP, on the OpenAI API's wire format, with SmolLM2 (whose chat template knows no tools, so they
 * are written into its prompt the Hermes way) sampling at temperature 1: forced calls valid against the function's
 * schema, non-streaming and as OpenAI's streamed {@code tool_calls} deltas, calls and results in the history, and the
 * 400s that name the field at fault. Same settings as {@link OpenAiSdkTest}, so they share one service.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-sdk", "hanul.model.threads=2"})
class OpenAiToolsApiTest {

    static final String MODEL = OpenAiSdkTest.MODEL;
    static final String WEATHER_TOOL = OpenAiStructuredOutputTest.WEATHER_TOOL;

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
                {"model": "%s", "messages": [{"role": "user", "content": "What is the weather in Seoul?"}],
                 "temperature": 1, "seed": 7, "max_tokens": 80, %s}""".formatted(MODEL, extra);
    }

    @Test
    void aRequiredToolCallIsValidAgainstTheFunctionsSchema() {
        JsonNode body = ok("/v1/chat/completions", chat("""
                "n": 2, "tools": [%s], "tool_choice": "required", "parallel_tool_calls": false""".formatted(
                WEATHER_TOOL)));
        for (JsonNode choice : body.get("choices")) {
            assertThat(choice.get("finish_reason").asString()).isEqualTo("tool_calls");
            JsonNode message = choice.get("message");
            assertThat(message.get("content").isNull()).as(message.toString()).isTrue();
            assertThat(message.get("tool_calls")).hasSize(1);
            JsonNode call = message.get("tool_calls").get(0);
            assertThat(call.get("id").asString()).matches("call_[0-9a-f]{24}");
            assertThat(call.get("type").asString()).isEqualTo("function");
            assertThat(call.get("function").get("name").asString()).isEqualTo("get_weather");
            JsonNode arguments = assertIsAnObject(call.get("function").get("arguments").asString());
            assertThat(arguments.get("city").isString()).isTrue();
            assertThat(arguments.get("days").asInt()).isBetween(1, 7);
        }
    }

    @Test
    void aStreamedToolCallHasOpenAisChunkShape() {
        String tools = "\"tools\": [%s, {\"type\": \"function\", \"function\": {\"name\": \"noop\"}}]"
                .formatted(WEATHER_TOOL);
        List<String> events = OpenAiHttp.events(http.post("/v1/chat/completions", chat(tools + ", \"stream\": true, "
                + "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}")).body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> deltas = new ArrayList<>();
        String finish = null;
        for (String event : events.subList(0, events.size() - 1)) {
            JsonNode choice = OpenAiHttp.json(event).get("choices").get(0);
            if (choice.get("delta").has("tool_calls")) {
                deltas.add(choice.get("delta").get("tool_calls").get(0));
            }
            if (!choice.get("finish_reason").isNull()) {
                finish = choice.get("finish_reason").asString();
            }
        }
        assertThat(finish).isEqualTo("tool_calls");
        assertThat(deltas).hasSize(2);
        JsonNode head = deltas.get(0);
        assertThat(head.get("index").asInt()).isZero();
        assertThat(head.get("id").asString()).startsWith("call_");
        assertThat(head.get("type").asString()).isEqualTo("function");
        assertThat(head.get("function").get("name").asString()).isEqualTo("get_weather");
        assertThat(head.get("function").get("arguments").asString()).isEmpty();
        JsonNode rest = deltas.get(1);
        assertThat(rest.get("index").asInt()).isZero();
        assertThat(rest.has("id")).isFalse();
        assertThat(rest.get("function").has("name")).isFalse();
        assertIsAnObject(rest.get("function").get("arguments").asString());
    }

    @Test
    void toolCallsAndResultsInTheHistoryAreAccepted() {
        JsonNode body = ok("/v1/chat/completions", """
                {"model": "%s", "max_tokens": 8, "tools": [%s], "tool_choice": "auto", "messages": [
                 {"role": "user", "content": "Weather in Seoul?"},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                  "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Seoul\\", \\"days\\": 1}"}}]},
                 {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]}""".formatted(MODEL, WEATHER_TOOL));
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void badToolsAreRefusedNamingTheField() {
        error("/v1/chat/completions", chat(("\"tools\": [%s], \"tool_choice\": {\"type\": \"function\", \"function\": "
                + "{\"name\": \"get_time\"}}").formatted(WEATHER_TOOL)), 400, "tool_choice");
        error("/v1/chat/completions", chat("\"tool_choice\": \"required\""), 400, "tool_choice");
        error("/v1/chat/completions", chat("\"tool_choice\": \"sometimes\", \"tools\": [" + WEATHER_TOOL + "]"), 400,
                "tool_choice");
        error("/v1/chat/completions", chat("\"tools\": [{\"type\": \"function\", \"function\": {\"name\": "
                + "\"bad name\"}}]"), 400, "tools[0].function.name");
        error("/v1/chat/completions", chat("\"functions\": [{\"name\": \"f\"}]"), 400, "functions");
        error("/v1/chat/completions", chat("\"tool_choice\": \"required\", \"tools\": [{\"type\": \"function\", "
                + "\"function\": {\"name\": \"f\", \"parameters\": {\"type\": \"object\", \"properties\": {\"a\": "
                + "{\"type\": \"strnig\"}}}}}]"), 400, "tools");
        error("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "hi"}, {"role": "tool", "content": "x"}]}"""
                .formatted(MODEL), 400, "messages[1].tool_call_id");
        error("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "type": "function",
                 "function": {"name": "f", "arguments": "{not json"}}]}]}""".formatted(MODEL), 400,
                "messages[0].tool_calls[0].function.arguments");
        error("/v1/chat/completions", chat(("\"tools\": [%s], \"tool_choice\": \"required\", \"response_format\": "
                + "{\"type\": \"json_object\"}").formatted(WEATHER_TOOL)), 400, "response_format");
    }

}
