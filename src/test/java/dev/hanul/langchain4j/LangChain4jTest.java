package dev.hanul.langchain4j;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ServedTestModel;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * LangChain4j's ChatModel, StreamingChatModel, EmbeddingModel and EmbeddingStore on the beans Hanul provides, with
 * the real engine (SmolLM2-135M-Instruct) and the real index. The settings are those of the TGI tests' SmolLM2
 * service (and SpringAiChatClientTest's), so they share one application context and one loaded model.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/langchain4j", "hanul.model.kv-cache=128MB"})
@AutoConfigureWebTestClient(timeout = "PT120S")
class LangChain4jTest {

    @Autowired
    ChatModel chatModel;

    @Autowired
    StreamingChatModel streamingChatModel;

    @Autowired
    EmbeddingModel embeddingModel;

    @Autowired
    EmbeddingStore<TextSegment> embeddingStore;

    ChatRequest question(String model) {
        return ChatRequest.builder()
                .messages(SystemMessage.from("Answer in one short sentence."),
                        UserMessage.from("What is the capital of France?"))
                .modelName(model).temperature(0.0).maxOutputTokens(16).build();
    }

    @Test
    void theEmbeddingStoreFindsTheRightSegmentsAndFiltersInsideTheSearch() {
        HanulEmbeddingStore store = ((HanulEmbeddingStore) embeddingStore).forTenant("langchain4j-test");
        store.removeAll();
        List<TextSegment> segments = List.of(
                TextSegment.from("Kimchi is fermented napa cabbage with chili.", metadata("cooking", 2019)),
                TextSegment.from("Sourdough rises with a starter of wild yeast.", metadata("cooking", 2024)),
                TextSegment.from("A paged KV cache keeps keys and values in blocks.", metadata("engineering", 2024)));
        List<Embedding> embeddings = embeddingModel.embedAll(segments).content();
        store.addAll(List.of("kimchi", "bread", "kv"), embeddings, segments);

        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(embeddingModel.embed("How is kimchi made?").content()).maxResults(2).build())
                .matches();
        assertThat(matches).extracting(EmbeddingMatch::embeddingId).first().isEqualTo("kimchi");
        assertThat(matches.getFirst().embedded().text()).isEqualTo("Kimchi is fermented napa cabbage with chili.");
        assertThat(matches.getFirst().embedded().metadata().getLong("year")).isEqualTo(2019L);
        assertThat(matches.getFirst().score()).isBetween(0.0, 1.0).isGreaterThan(matches.get(1).score());

        var filtered = store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(embeddingModel.embed("How is kimchi made?").content()).maxResults(3)
                .filter(metadataKey("year").isGreaterThan(2019).and(metadataKey("topic").isNotEqualTo("cooking")))
                .build()).matches();
        assertThat(filtered).extracting(EmbeddingMatch::embeddingId).containsExactly("kv");

        store.removeAll(metadataKey("topic").isIn("engineering"));
        store.remove("kimchi");
        assertThat(store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(embeddingModel.embed("anything").content()).maxResults(10).build()).matches())
                .extracting(EmbeddingMatch::embeddingId).containsExactly("bread");
        HanulEmbeddingStore other = ((HanulEmbeddingStore) embeddingStore).forTenant("langchain4j-other");
        assertThat(other.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(embeddingModel.embed("kimchi").content()).maxResults(10).build()).matches())
                .as("another tenant's index stays empty").isEmpty();
    }

    static dev.langchain4j.data.document.Metadata metadata(String topic, int year) {
        return dev.langchain4j.data.document.Metadata.from(Map.of("topic", topic, "year", year));
    }

    @Test
    void theChatModelAnswersThroughTheFaçade() {
        ChatResponse response = chatModel.chat(question(null));

        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(response.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
        assertThat(response.tokenUsage().inputTokenCount()).isGreaterThan(10);
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 16);
        assertThat(response.metadata().modelName()).startsWith("SmolLM2-135M-Instruct.Q4_1@");
        assertThatThrownBy(() -> chatModel.chat(question("no-such-model")))
                .isInstanceOf(InferenceFailure.ModelNotFound.class);
    }

    @Test
    void theStreamingChatModelSendsTokensThenTheWholeAnswer() throws Exception {
        var partials = new ArrayList<String>();
        var complete = new CompletableFuture<ChatResponse>();
        streamingChatModel.chat(question(null), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                complete.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                complete.completeExceptionally(error);
            }
        });
        ChatResponse response = complete.get(60, TimeUnit.SECONDS);

        assertThat(partials).hasSizeGreaterThan(1);
        assertThat(String.join("", partials)).isEqualTo(response.aiMessage().text()).isNotBlank();
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 16);

        var failure = new CompletableFuture<Throwable>();
        streamingChatModel.chat(question("no-such-model"), new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                failure.complete(null);
            }

            @Override
            public void onError(Throwable error) {
                failure.complete(error);
            }
        });
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(InferenceFailure.ModelNotFound.class);
    }
}
