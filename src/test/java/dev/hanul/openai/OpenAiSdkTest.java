package dev.hanul.openai;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertIsAnObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.completions.CompletionUsage;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelInstance;
import dev.hanul.registry.ModelRegistry;
import dev.hanul.inference.ServedTestModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The official OpenAI Java SDK, pointed at Hanul as users point it, asks SmolLM2 (a real chat model) a question
 * whose answer is known, with and without streaming.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-sdk", "hanul.model.threads=2"})
class OpenAiSdkTest {

    static final String MODEL = "SmolLM2-135M-Instruct.Q4_1";

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    /** The version the default alias serves. */
    ModelInstance served() {
        return registry.route(null, null).primary();
    }

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey("unused").build();
    }

    ChatCompletionCreateParams.Builder capitalOfFrance() {
        return ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage("What is the capital of France?")
                .temperature(0.0)
                .maxCompletionTokens(40);
    }

    @Test
    void nonStreamingChatAnswersParis() {
        ChatCompletion completion = client.chat().completions().create(capitalOfFrance().build());
        assertThat(completion.model()).isEqualTo(MODEL);
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(answer ->
                assertThat(answer).contains("Paris"));
        assertThat(completion.choices().getFirst().finishReason()).isIn(ChatCompletion.Choice.FinishReason.STOP,
                ChatCompletion.Choice.FinishReason.LENGTH);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.completionTokens()).isBetween(1L, 40L);
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void jsonObjectResponseFormatGivesTheCapitalAsAnObject() {
        for (double temperature : new double[] {0.0, 1.0}) {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(MODEL).addUserMessage("Give the capital of France as JSON with key capital.")
                    .responseFormat(ResponseFormatJsonObject.builder().build())
                    .temperature(temperature).seed(11).maxCompletionTokens(60).build());
            ChatCompletion.Choice choice = completion.choices().getFirst();
            String content = choice.message().content().orElseThrow();
            assertThat(choice.finishReason()).as(content).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            JsonNode answer = assertIsAnObject(content);
            // A 135M model reads "key capital" its own way ({"key": "capital", "value": "Paris"} greedily), so the
            // answer may be any string of the object.
            assertThat(answer.toString()).as(content).contains("\"Paris\"");
        }
    }

    @Test
    void streamingChatAnswersParisAndReportsUsage() {
        var params = capitalOfFrance()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        var answer = new StringBuilder();
        List<CompletionUsage> usages = new ArrayList<>();
        List<ChatCompletionChunk.Choice.FinishReason> reasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(answer::append);
                    choice.finishReason().ifPresent(reasons::add);
                });
                chunk.usage().ifPresent(usages::add);
            });
        }
        assertThat(answer.toString()).contains("Paris");
        assertThat(reasons).hasSize(1);
        assertThat(usages).hasSize(1);
        assertThat(usages.getFirst().completionTokens()).isPositive();
        assertThat(answer.toString()).isEqualTo(client.chat().completions().create(capitalOfFrance().build())
                .choices().getFirst().message().content().orElseThrow());
    }

    @Test
    void aClientThatDisconnectsCancelsTheGeneration() throws Exception {
        long decodedBefore = served().engine().stats().decodeTokens();
        // No max_tokens: the whole rest of the context window, hundreds of tokens, unless the generation is cancelled.
        String body = """
                {"model": "%s", "messages": [{"role": "user", "content": "Tell me a long story."}],
                 "ignore_eos": true, "stream": true}""".formatted(MODEL);
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient http = HttpClient.newHttpClient();
             Stream<String> lines = http.send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
            assertThat(lines.filter(line -> line.startsWith("data: ")).limit(5).count()).isEqualTo(5);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> served().engine().stats().running() == 0);
        int window = Math.min(served().engine().kvCapacityTokens(), served().model().model().config().contextLength());
        assertThat(served().engine().stats().decodeTokens() - decodedBefore)
                .as("tokens decoded before the disconnect stopped the generation")
                .isLessThan(window / 2);
        assertThat(served().engine().stats().kvBlocksUsed()).isZero();
    }
}
