package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.hanul.chat.OfficeDocuments;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The official OpenAI SDK, unchanged but for the model name, gets a grounded answer from SmolLM2 (a real chat model):
 * the fact comes from the one document that holds it, which the citations name.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-rag-grounding", "hanul.model.threads=2",
                "hanul.model.kv-cache=128MB"})
class OpenAiRagGroundingTest {

    static final String MODEL = "SmolLM2-135M-Instruct.Q4_1";

    @LocalServerPort
    int port;

    OpenAIClient client;
    String tenant;

    @BeforeEach
    void ingest() {
        client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey("unused").build();
        tenant = RagDocuments.ingestOffice(new OpenAiHttp(port));
    }

    @Test
    void theAliasGivesAGroundedAnswer() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("rag:" + tenant).addUserMessage(OfficeDocuments.QUESTION)
                .temperature(0.0).maxCompletionTokens(48).build());

        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(answer ->
                assertThat(answer).containsIgnoringCase("bibimbap"));
        assertThat(OpenAiRagTest.documentIds(completion._additionalProperties().get("citations"))).first()
                .isEqualTo("cafeteria");
    }

    @Test
    void theRagFieldGivesAGroundedStreamedAnswer() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL)
                .addUserMessage(OfficeDocuments.QUESTION).temperature(0.0).maxCompletionTokens(48)
                .putAdditionalHeader("X-Tenant-Id", tenant)
                .putAdditionalBodyProperty("rag", JsonValue.from(Map.of("top_k", 3)))
                .build();
        var answer = new StringBuilder();
        JsonValue citations = null;

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(answer::append));
                if (chunk._additionalProperties().containsKey("citations")) {
                    citations = chunk._additionalProperties().get("citations");
                }
            }
        }

        assertThat(answer.toString()).containsIgnoringCase("bibimbap");
        assertThat(OpenAiRagTest.documentIds(citations)).first().isEqualTo("cafeteria");
    }
}
