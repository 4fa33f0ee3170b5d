package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

/**
 * The chat API's protocol over real HTTP, with stories260K as the model: it cannot answer questions, but it streams
 * real tokens in milliseconds, which is what the event order, citations, usage, conversations and errors need.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/chat-api", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ChatApiTest extends ChatTestSupport {

    /** stories260K holds 512 tokens; a short answer leaves the prompt room for the sources. */
    private static final String QUESTION = """
            {"messages": [{"role": "user", "content": "What does the cafeteria serve on Wednesdays?"}],
             "sampling": {"maxTokens": 12}%s}""";

    @Test
    void theStreamSendsTokensThenCitationsThenDone() {
        String tenant = newTenant();
        ingest(tenant, OfficeDocuments.JSON);

        List<ServerSentEvent<Map<String, Object>>> events = stream(tenant, QUESTION.formatted(""));

        assertThat(events).extracting(ServerSentEvent::event).containsOnly("token", "citations", "done");
        int citationsAt = events.indexOf(only(events, "citations"));
        assertThat(citationsAt).as("tokens come first").isPositive();
        assertThat(events.subList(0, citationsAt)).extracting(ServerSentEvent::event).containsOnly("token");
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(answer(events)).isNotEmpty();

        List<Map<String, Object>> citations = at(only(events, "citations").data(), "citations");
        assertThat(citations).isNotEmpty();
        Map<String, Object> top = citations.getFirst();
        assertThat(top).containsEntry("marker", 1).containsEntry("documentId", "cafeteria")
                .containsEntry("source", "cafeteria.txt")
                .containsEntry("text", "The Hanul office cafeteria serves bibimbap on Wednesdays.")
                .containsEntry("chunkIds", List.of("cafeteria#0"));
        assertThat((Object) at(top, "span")).isEqualTo(Map.of("start", 0, "end", 57));
        assertThat((Double) top.get("score")).isPositive();
        assertThat(citations).extracting(c -> c.get("marker")).isEqualTo(
                java.util.stream.IntStream.rangeClosed(1, citations.size()).boxed().toList());

        Map<String, Object> done = events.getLast().data();
        assertThat(done.get("finishReason")).isIn("stop", "length");
        assertThat(done.get("conversationId")).asString().isNotBlank();
        assertThat(done.get("model")).isEqualTo("stories260K-f32");
        assertThat((Object) at(done, "template")).isEqualTo(Map.of("name", "rag-default", "version", 3));
        assertThat((Integer) at(done, "usage", "promptTokens")).isGreaterThan(20);
        assertThat((Integer) at(done, "usage", "completionTokens")).isBetween(1, 12);
        Number retrieval = at(done, "timings", "retrievalMs");
        Number firstToken = at(done, "timings", "timeToFirstTokenMs");
        Number total = at(done, "timings", "totalMs");
        assertThat(retrieval.longValue()).isNotNegative();
        assertThat(firstToken.longValue()).isBetween(retrieval.longValue(), total.longValue());
    }

    @Test
    void withoutStreamingTheSameAnswerComesAsOneJson() {
        String tenant = newTenant();
        ingest(tenant, OfficeDocuments.JSON);
        List<ServerSentEvent<Map<String, Object>>> events = stream(tenant, QUESTION.formatted(""));

        Map<String, Object> response = call(tenant, QUESTION.formatted(", \"stream\": false"));

        assertThat(response.get("answer")).isEqualTo(answer(events));
        assertThat(response.get("citations")).isEqualTo(at(only(events, "citations").data(), "citations"));
        Map<String, Object> done = only(events, "done").data();
        assertThat(response.get("finishReason")).isEqualTo(done.get("finishReason"));
        assertThat(response.get("usage")).isEqualTo(done.get("usage"));
        assertThat(response.get("template")).isEqualTo(done.get("template"));
        assertThat(response).containsKeys("conversationId", "model", "timings");
        assertThat(response.get("conversationId")).isNotEqualTo(done.get("conversationId"));
    }

    @Test
    void aConversationContinuesAndCanBeReadAndDeleted() {
        String tenant = newTenant();
        ingest(tenant, OfficeDocuments.JSON);
        String first = """
                {"conversationId": "lunch-1", "stream": false, "sampling": {"maxTokens": 8},
                 "retrieval": {"enabled": false},
                 "messages": [{"role": "user", "content": "What does the cafeteria serve on Wednesdays?"}]}""";
        String second = """
                {%s"stream": false, "sampling": {"maxTokens": 8}, "retrieval": {"enabled": false},
                 "messages": [{"role": "human", "content": "And on Thursdays?"}]}""";

        Map<String, Object> one = call(tenant, first);
        Map<String, Object> two = call(tenant, second.formatted("\"conversationId\": \"lunch-1\", "));
        Map<String, Object> alone = call(tenant, second.formatted(""));

        assertThat(two.get("conversationId")).isEqualTo("lunch-1");
        assertThat((Integer) at(two, "usage", "promptTokens")).as("the first turn is in the second prompt")
                .isGreaterThan((Integer) at(alone, "usage", "promptTokens") + 10);
        http.get().uri("/api/conversations/lunch-1").header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.conversationId").isEqualTo("lunch-1")
                .jsonPath("$.messages.length()").isEqualTo(4)
                .jsonPath("$.messages[0].role").isEqualTo("user")
                .jsonPath("$.messages[0].content").isEqualTo("What does the cafeteria serve on Wednesdays?")
                .jsonPath("$.messages[1].role").isEqualTo("assistant")
                .jsonPath("$.messages[1].content").isEqualTo(one.get("answer"))
                .jsonPath("$.messages[2].content").isEqualTo("And on Thursdays?")
                .jsonPath("$.messages[3].content").isEqualTo(two.get("answer"));
        http.get().uri("/api/conversations/lunch-1").header(TENANT, newTenant()).exchange()
                .expectStatus().isNotFound();

        http.delete().uri("/api/conversations/lunch-1").header(TENANT, tenant).exchange()
                .expectStatus().isNoContent();
        http.get().uri("/api/conversations/lunch-1").header(TENANT, tenant).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").value(m -> assertThat(m.toString()).contains("lunch-1"));
        http.delete().uri("/api/conversations/lunch-1").header(TENANT, tenant).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void withRetrievalOffItIsPlainChat() {
        Map<String, Object> response = call(newTenant(), """
                {"stream": false, "retrieval": {"enabled": false}, "sampling": {"maxTokens": 5},
                 "messages": [{"role": "system", "content": "You tell stories."},
                              {"role": "user", "content": "Once upon a time"}]}""");

        assertThat(response.get("citations")).isEqualTo(List.of());
        assertThat(response.get("template")).isNull();
        assertThat((Object) at(response, "timings", "retrievalMs")).isEqualTo(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"messages": []}                                                                 | messages
            {}                                                                               | messages
            {"messages": [{"role": "assistant", "content": "Hi"}]}                          | last message
            {"messages": [{"role": "wizard", "content": "Hi"}]}                              | messages[0].role
            {"messages": [{"role": "user", "content": " "}]}                                 | messages[0].content
            {"template": {"name": "nope"}, "messages": [{"role": "user", "content": "Hi"}]}  | template.name 'nope'
            {"template": {"version": 99}, "messages": [{"role": "user", "content": "Hi"}]}   | template.version 99
            {"retrieval": {"filters": {"year": {"gt": 1}}}, "messages": [{"role": "user", "content": "Hi"}]} | retrieval.filters.year.gt
            {"retrieval": {"filters": []}, "messages": [{"role": "user", "content": "Hi"}]}  | retrieval.filters
            {"retrieval": {"topK": 0}, "messages": [{"role": "user", "content": "Hi"}]}      | retrieval.topK
            {"retrieval": {"topK": 100000}, "messages": [{"role": "user", "content": "Hi"}]} | retrieval.topK
            {"retrieval": {"hybridWeight": 2}, "messages": [{"role": "user", "content": "Hi"}]} | retrieval.hybridWeight
            {"sampling": {"temperature": -1}, "messages": [{"role": "user", "content": "Hi"}]} | sampling.temperature
            {"sampling": {"topP": 0}, "messages": [{"role": "user", "content": "Hi"}]}       | sampling.topP
            {"sampling": {"maxTokens": 0}, "messages": [{"role": "user", "content": "Hi"}]}  | sampling.maxTokens
            {"sampling": {"maxTokens": 100000}, "messages": [{"role": "user", "content": "Hi"}]} | sampling.maxTokens
            {"conversationId": "../x", "messages": [{"role": "user", "content": "Hi"}]}      | conversationId
            """)
    void badInputIsA400NamingTheParameter(String body, String named) {
        http.post().uri("/api/chat").header(TENANT, newTenant()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.path").isEqualTo("/api/chat")
                .jsonPath("$.message").value(message -> assertThat(message.toString()).contains(named));
    }
}
