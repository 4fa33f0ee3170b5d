package dev.hanul.openai;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertIsAnObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java SDK's structured outputs and tool calling against Hanul serving SmolLM2: a JSON Schema made
 * by the SDK from a Java record and parsed back into it, a tool call round trip (call, tool result, answer) and a
 * streamed tool call put together by the SDK's accumulator. A 135M model's answers may be silly; constrained decoding
 * makes them valid, which is what is checked. Same settings as {@link OpenAiSdkTest}, so the two share one service.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-sdk", "hanul.model.threads=2"})
class OpenAiSdkToolsTest {

    static final String MODEL = OpenAiSdkTest.MODEL;

    /** What the SDK turns into a JSON Schema and parses the answer into (a long: the schema bounds no integer). */
    public record Capital(String country, String city, long population) {
    }

    @LocalServerPort
    int port;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey("unused").build();
    }

    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").description("The current weather of a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                "city", Map.of("type", "string", "maxLength", 30),
                                "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city", "unit")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build()).build();
    }

    static ChatCompletionToolChoiceOption callGetWeather() {
        return ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build());
    }

    @Test
    void aJsonSchemaFromARecordIsAnsweredAndParsedIntoIt() {
        StructuredChatCompletion<Capital> completion = client.chat().completions().create(
                ChatCompletionCreateParams.builder().model(MODEL)
                        .addUserMessage("What is the capital of France, and how many people live there?")
                        .responseFormat(Capital.class)
                        .temperature(0.0).maxCompletionTokens(120).build());
        var choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        Capital capital = choice.message().content().orElseThrow();
        assertThat(capital.country()).isNotNull();
        assertThat(capital.city()).isNotNull();
    }

    @Test
    void aToolCallRoundTripCallsTheToolAndAnswersFromItsResult() {
        var ask = ChatCompletionCreateParams.builder().model(MODEL)
                .addSystemMessage("You are a helpful assistant.")
                .addUserMessage("What is the weather like in Paris today?")
                .addTool(weatherTool())
                .temperature(0.0).maxCompletionTokens(80);
        ChatCompletion first = client.chat().completions().create(ask.toolChoice(callGetWeather()).build());
        ChatCompletion.Choice called = first.choices().getFirst();
        assertThat(called.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = called.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        ChatCompletionMessageFunctionToolCall call = calls.getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode arguments = assertIsAnObject(call.function().arguments());
        assertThat(arguments.get("city").isString()).as(call.function().arguments()).isTrue();
        assertThat(arguments.get("unit").asString()).isIn("celsius", "fahrenheit");

        ChatCompletion answer = client.chat().completions().create(ask
                .addMessage(called.message().toParam())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content("{\"temperature\": 21, \"sky\": \"sunny\"}").build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                .build());
        ChatCompletion.Choice answered = answer.choices().getFirst();
        assertThat(answered.message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answered.message().content().orElseThrow()).isNotBlank();
        assertThat(answered.finishReason()).isIn(ChatCompletion.Choice.FinishReason.STOP,
                ChatCompletion.Choice.FinishReason.LENGTH);
    }

    @Test
    void aStreamedToolCallComesAsOpenAiToolCallDeltas() {
        var params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("What is the weather like in Seoul?")
                .addTool(weatherTool())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .parallelToolCalls(false)
                .temperature(0.0).maxCompletionTokens(80).build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk.Choice.Delta.ToolCall> deltas = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                accumulator.accumulate(chunk);
                chunk.choices().forEach(choice -> choice.delta().toolCalls().ifPresent(deltas::addAll));
            });
        }
        assertThat(deltas).hasSizeGreaterThanOrEqualTo(2);
        assertThat(deltas.getFirst().id()).hasValueSatisfying(id -> assertThat(id).startsWith("call_"));
        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst()
                .asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertIsAnObject(call.function().arguments());
    }
}
