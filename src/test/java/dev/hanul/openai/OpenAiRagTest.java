package dev.hanul.openai;

import static dev.hanul.api.TestTenants.newTenant;
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
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * RAG through the OpenAI-compatible chat completions, over HTTP and through the official SDK, with stories260K: it
 * cannot answer questions, but its real tokens and the real retrieval are what the protocol needs (citations, usage,
 * the alias and the {@code rag} field, errors).
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-rag", "hanul.model.threads=1",
                "hanul.model.max-running-sequences=4"})
class OpenAiRagTest {

    static final String MODEL = "stories260K-f32";
    static final String TENANT = "X-Tenant-Id";

    @LocalServerPort
    int port;

    OpenAiHttp http;

    @BeforeEach
    void modelReady() {
        http = new OpenAiHttp(port);
    }

    /** The cafeteria question under {@code model}; stories260K holds 512 tokens, so the answer is kept short. */
    static String question(String model, String extra) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}], "max_tokens": 12,
                 "temperature": 0%s}""".formatted(model, OfficeDocuments.QUESTION,
                extra.isEmpty() ? "" : ", " + extra);
    }

    JsonNode ok(String body, String... headers) {
        HttpResponse<String> response = http.post("/v1/chat/completions", body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OpenAiHttp.json(response.body());
    }

    JsonNode error(String body, String param, String... headers) {
        HttpResponse<String> response = http.post("/v1/chat/completions", body, headers);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = OpenAiHttp.json(response.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asString()).as(response.body()).isEqualTo(param);
        return error;
    }

    @Test
    void theAliasAnswersFromTheTenantsDocumentsAsApiChatDoes() {
        String tenant = RagDocuments.ingestOffice(http);

        JsonNode completion = ok(question("rag:" + tenant, ""));

        assertThat(completion.get("object").asString()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asString()).isEqualTo("rag:" + tenant);
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("message").get("content").asString()).isNotEmpty();
        assertThat(choice.get("finish_reason").asString()).isIn("stop", "length");
        JsonNode top = completion.get("citations").get(0);
        assertThat(top.get("marker").asInt()).isEqualTo(1);
        assertThat(top.get("documentId").asString()).isEqualTo("cafeteria");
        assertThat(top.get("source").asString()).isEqualTo("cafeteria.txt");
        assertThat(top.get("text").asString()).isEqualTo("The Hanul office cafeteria serves bibimbap on Wednesdays.");
        JsonNode usage = completion.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isGreaterThan(20);
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 12);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());

        // The same question through /api/chat: the same prompt, sources and (greedy) answer.
        HttpResponse<String> chat = http.post("/api/chat", """
                {"messages": [{"role": "user", "content": "%s"}], "sampling": {"maxTokens": 12}, "stream": false}"""
                .formatted(OfficeDocuments.QUESTION), TENANT, tenant);
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
        JsonNode answer = OpenAiHttp.json(chat.body());
        assertThat(completion.get("citations")).isEqualTo(answer.get("citations"));
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(answer.get("usage").get("promptTokens").asInt());
        assertThat(choice.get("message").get("content").asString()).isEqualTo(answer.get("answer").asString());
    }

    @Test
    void aStreamCarriesTheCitationsOnItsFinishingChunkThenUsageThenDone() {
        String tenant = RagDocuments.ingestOffice(http);
        JsonNode whole = ok(question("rag:" + tenant, ""));

        HttpResponse<String> response = http.post("/v1/chat/completions", question("rag:" + tenant,
                "\"stream\": true, \"stream_options\": {\"include_usage\": true}"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = OpenAiHttp.events(response.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(OpenAiHttp::json).toList();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.get("model").asString()).isEqualTo("rag:" + tenant));
        List<JsonNode> finishing = chunks.stream().filter(chunk -> !chunk.get("choices").isEmpty()
                && !chunk.get("choices").get(0).get("finish_reason").isNull()).toList();
        assertThat(finishing).hasSize(1);
        assertThat(finishing.getFirst().get("citations")).isEqualTo(whole.get("citations"));
        assertThat(chunks.stream().filter(chunk -> chunk.has("citations"))).containsExactly(finishing.getFirst());
        assertThat(chunks.getLast().get("choices").isEmpty()).isTrue();
        assertThat(chunks.getLast().get("usage")).isEqualTo(whole.get("usage"));
        var text = new StringBuilder();
        chunks.forEach(chunk -> chunk.get("choices").forEach(choice -> {
            JsonNode content = choice.get("delta").get("content");
            if (content != null && !content.isNull()) {
                text.append(content.asString());
            }
        }));
        assertThat(text.toString()).isEqualTo(whole.get("choices").get(0).get("message").get("content").asString());
    }

    @Test
    void theRagFieldSwitchesRagOnForTheServedModelWithRetrievalOptions() {
        String tenant = RagDocuments.ingestOffice(http);

        JsonNode filtered = ok(question(MODEL, """
                "rag": {"top_k": 2, "filter": {"source": "parking.txt"}, "min_score": 0, "template": "rag-default",
                        "template_version": 1}"""), TENANT, tenant);
        JsonNode plain = ok(question(MODEL, ""), TENANT, tenant);
        JsonNode off = ok(question(MODEL, "\"rag\": {\"enabled\": false}"), TENANT, tenant);

        assertThat(filtered.get("model").asString()).isEqualTo(MODEL);
        assertThat(filtered.get("citations").valueStream().map(c -> c.get("documentId").asString()))
                .containsExactly("parking");
        assertThat(plain.has("citations")).as("plain chat has no citations").isFalse();
        assertThat(off.has("citations")).isFalse();
        assertThat(filtered.get("usage").get("prompt_tokens").asInt())
                .isGreaterThan(plain.get("usage").get("prompt_tokens").asInt() + 10);
    }

    @Test
    void ragAloneSearchesTheHeadersTenant() {
        String tenant = RagDocuments.ingestOffice(http);

        JsonNode completion = ok(question("rag", ""), TENANT, tenant);

        assertThat(completion.get("model").asString()).isEqualTo("rag");
        assertThat(completion.get("citations").get(0).get("documentId").asString()).isEqualTo("cafeteria");
        JsonNode elsewhere = ok(question("rag", ""), TENANT, newTenant());
        assertThat(elsewhere.get("citations").isEmpty()).as("another tenant has no documents").isTrue();
    }

    @Test
    void severalChoicesAndLogprobsWorkInRagMode() {
        String tenant = RagDocuments.ingestOffice(http);

        JsonNode completion = ok(question("rag:" + tenant, "\"n\": 2, \"logprobs\": true, \"top_logprobs\": 2, "
                + "\"seed\": 3"));

        assertThat(completion.get("choices").valueStream().map(choice -> choice.get("index").asInt()))
                .containsExactly(0, 1);
        assertThat(completion.get("choices")).allSatisfy(choice ->
                assertThat(choice.get("logprobs").get("content").get(0).get("top_logprobs")).hasSize(2));
        assertThat(completion.get("citations").get(0).get("documentId").asString()).isEqualTo("cafeteria");
    }

    @Test
    void theOfficialSdkCompletesARagChatThroughTheAlias() {
        String tenant = RagDocuments.ingestOffice(http);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1")
                .apiKey("unused").build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("rag:" + tenant)
                .addUserMessage(OfficeDocuments.QUESTION).temperature(0.0).maxCompletionTokens(12).build();

        ChatCompletion completion = client.chat().completions().create(params);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        assertThat(completion.model()).isEqualTo("rag:" + tenant);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(text ->
                assertThat(text).isNotEmpty());
        assertThat(completion.usage().orElseThrow().promptTokens()).isGreaterThan(20);
        assertThat(documentIds(completion._additionalProperties().get("citations"))).first().isEqualTo("cafeteria");
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices().getFirst().finishReason()).isPresent();
        assertThat(documentIds(last._additionalProperties().get("citations"))).first().isEqualTo("cafeteria");
    }

    @SuppressWarnings("unchecked")
    static List<Object> documentIds(JsonValue citations) {
        assertThat(citations).as("citations").isNotNull();
        return ((List<Map<String, Object>>) citations.convert(List.class)).stream()
                .map(citation -> citation.get("documentId")).toList();
    }

    @Test
    void badRagInputIsAnOpenAiErrorNamingTheParameter() {
        String tenant = newTenant();

        JsonNode conflict = error(question("rag:" + tenant, ""), "model", TENANT, "someone-else");
        assertThat(conflict.get("message").asString()).contains(tenant, "someone-else", TENANT);
        JsonNode template = error(question("rag:" + tenant, "\"rag\": {\"template\": \"nope\"}"), "rag.template");
        assertThat(template.get("message").asString()).startsWith("rag.template 'nope' is not a known prompt template")
                .contains("rag-default");
        error(question("rag:" + tenant, "\"rag\": {\"template_version\": 99}"), "rag.template_version");
        error(question("rag:" + tenant, "\"rag\": {\"top_k\": 0}"), "rag.top_k");
        error(question("rag:" + tenant, "\"rag\": {\"filter\": {\"tags\": []}}"), "rag.filter.tags");
        error(question("rag:" + tenant, "\"rag\": {\"enabled\": false}"), "rag.enabled");
        error(question("rag:", ""), "model");
        error(question("rag:not a tenant!", ""), "model");
        error(question("rag:" + tenant, "\"max_tokens\": 100000").replace("\"max_tokens\": 12,", ""),
                "max_tokens");
        JsonNode last = error("""
                {"model": "rag:%s", "messages": [{"role": "user", "content": "Hi"},
                 {"role": "assistant", "content": "Hello"}]}""".formatted(tenant), "messages");
        assertThat(last.get("message").asString()).contains("user");
        HttpResponse<String> unknown = http.post("/v1/chat/completions", question("gpt-4", "\"rag\": {}"));
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void theModelsEndpointKnowsTheAlias() {
        JsonNode card = OpenAiHttp.json(http.get("/v1/models/rag:acme").body());
        assertThat(card.get("id").asString()).isEqualTo("rag:acme");
        assertThat(card.get("object").asString()).isEqualTo("model");
        HttpResponse<String> invalid = http.get("/v1/models/rag:");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(OpenAiHttp.json(invalid.body()).get("error").get("param").asString()).isEqualTo("model");
    }
}
