package dev.hanul.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ServedTestModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Spring AI application's RAG: ChatClient with QuestionAnswerAdvisor on the ChatModel and VectorStore beans that
 * Hanul's auto-configuration provides, with the real engine (SmolLM2-135M-Instruct) and the real index. The answer of
 * so small a model may be poor; what must hold is that the advisor retrieves the right documents, the call and the
 * stream complete with usage and a finish reason, and the request goes through Hanul's façade (the interaction log
 * records it). The settings are those of the TGI tests' SmolLM2 service, so the test shares its context (one loaded
 * model fewer in the suite's JVM); the documents go to a tenant of their own.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/spring-ai", "hanul.model.kv-cache=128MB"})
@AutoConfigureWebTestClient(timeout = "PT120S")
class SpringAiChatClientTest {

    static final String TENANT = "spring-ai-test";
    /** hanul.spring-ai.tenant's default: the tenant the chat model's interactions are logged under. */
    static final String CHAT_TENANT = "default";

    @Autowired
    ChatModel chatModel;

    @Autowired
    VectorStore vectorStore;

    @Autowired
    EmbeddingModel embeddingModel;

    @Autowired
    WebTestClient http;

    @Autowired
    ObjectMapper json;

    ChatClient client;

    HanulVectorStore store;

    @BeforeEach
    void documents() {
        assertThat(chatModel).isInstanceOf(HanulChatModel.class);
        assertThat(vectorStore).isInstanceOf(HanulVectorStore.class);
        assertThat(embeddingModel).isInstanceOf(HanulEmbeddingModel.class);
        store = ((HanulVectorStore) vectorStore).forTenant(TENANT);
        store.add(List.of(
                new Document("hanul-river", "The Hanul river festival takes place every October in Jinju, where "
                        + "thousands of lanterns float on the water.", Map.of("topic", "events")),
                new Document("kv-cache", "A paged KV cache keeps keys and values in fixed blocks of 16 tokens.",
                        Map.of("topic", "engineering")),
                new Document("sourdough", "Sourdough bread rises with a starter of wild yeast.",
                        Map.of("topic", "cooking")),
                new Document("lantern-rules", "Lanterns at the festival must be made of paper and float on water.",
                        Map.of("topic", "rules"))));
        client = ChatClient.builder(chatModel)
                .defaultOptions(ChatOptions.builder().temperature(0.0).maxTokens(24))
                .build();
    }

    QuestionAnswerAdvisor advisor(String filter) {
        var search = SearchRequest.builder().topK(2);
        if (filter != null) {
            search.filterExpression(filter);
        }
        return QuestionAnswerAdvisor.builder(store).searchRequest(search.build()).build();
    }

    static List<String> retrieved(ChatClientResponse response) {
        @SuppressWarnings("unchecked")
        var documents = (List<Document>) response.context().get(QuestionAnswerAdvisor.RETRIEVED_DOCUMENTS);
        assertThat(documents).as("the advisor's retrieved documents").isNotNull();
        return documents.stream().map(Document::getId).toList();
    }

    @Test
    void chatClientWithQuestionAnswerAdvisorRetrievesTheRightDocumentsAndAnswers() {
        ChatClientResponse response = client.prompt()
                .advisors(advisor(null))
                .user("When and where does the Hanul river lantern festival take place?")
                .call()
                .chatClientResponse();

        assertThat(retrieved(response)).containsExactlyInAnyOrder("hanul-river", "lantern-rules");
        ChatResponse answer = Objects.requireNonNull(response.chatResponse());
        assertThat(answer.getResult().getOutput().getText()).isNotBlank();
        assertThat(answer.getResult().getMetadata().getFinishReason()).isIn("stop", "length");
        // The advisor put the documents into the prompt: far more prompt tokens than the question alone has.
        assertThat(answer.getMetadata().getUsage().getPromptTokens()).isGreaterThan(60);
        assertThat(answer.getMetadata().getUsage().getCompletionTokens()).isBetween(1, 24);
        assertThat(answer.getMetadata().getModel()).as("the version that answered")
                .startsWith("SmolLM2-135M-Instruct.Q4_1@");
    }

    @Test
    void streamingRunsTheSameWayTokenByToken() {
        List<ChatClientResponse> pieces = client.prompt()
                .advisors(advisor("topic == 'engineering' || topic == 'cooking'"))
                .user("How does a paged KV cache store keys and values?")
                .stream()
                .chatClientResponse()
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(pieces).hasSizeGreaterThan(2);
        ChatClientResponse last = pieces.getLast();
        assertThat(retrieved(last)).containsExactly("kv-cache", "sourdough");
        String text = String.join("", pieces.stream().map(piece -> piece.chatResponse().getResult().getOutput()
                .getText()).toList());
        assertThat(text).isNotBlank();
        assertThat(last.chatResponse().getResult().getMetadata().getFinishReason()).isIn("stop", "length");
        assertThat(last.chatResponse().getMetadata().getUsage().getCompletionTokens()).isBetween(1, 24);
    }

    @Test
    void aModelThatIsNotServedFailsWithTheFaçadesTypedFailure() {
        assertThatThrownBy(() -> client.prompt().options(ChatOptions.builder().model("no-such-model"))
                .user("Hello").call().content())
                .isInstanceOf(InferenceFailure.ModelNotFound.class)
                .hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> client.prompt().options(ChatOptions.builder().model("no-such-model"))
                .user("Hello").stream().content().blockLast(Duration.ofSeconds(10)))
                .isInstanceOf(InferenceFailure.ModelNotFound.class);
    }

    @Test
    void theInteractionLogRecordsSpringAiRequests() {
        String question = "Which river festival happens in Jinju, " + Long.toString(System.nanoTime(), 36) + "?";
        client.prompt().user(question).call().content();

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode page = json.readTree(http.get().uri("/api/interactions?api=spring-ai.chat&size=50")
                    .header("X-Tenant-Id", CHAT_TENANT).exchange().expectStatus().isOk().expectBody(String.class)
                    .returnResult().getResponseBody());
            assertThat(page.get("items").valueStream().map(item -> item.path("question").asString()))
                    .contains(question);
        });
    }
}
