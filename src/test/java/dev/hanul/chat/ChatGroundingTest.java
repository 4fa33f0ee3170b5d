package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.codec.ServerSentEvent;

/** Answers with a real chat model (SmolLM2-135M-Instruct): the fact comes from the one document that holds it. */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/chat-grounding", "hanul.model.kv-cache=128MB"})
@AutoConfigureWebTestClient(timeout = "PT120S")
class ChatGroundingTest extends ChatTestSupport {

    @Test
    void theAnswerRepeatsTheFactFromTheCitedDocument() {
        String tenant = newTenant();
        ingest(tenant, OfficeDocuments.JSON);

        List<ServerSentEvent<Map<String, Object>>> events = stream(tenant, """
                {"messages": [{"role": "user", "content": "What does the cafeteria serve on Wednesdays?"}],
                 "sampling": {"temperature": 0, "maxTokens": 48}}""");

        assertThat(answer(events)).containsIgnoringCase("bibimbap");
        List<Map<String, Object>> citations = at(only(events, "citations").data(), "citations");
        assertThat(citations.getFirst()).containsEntry("documentId", "cafeteria").containsEntry("marker", 1);
    }

    @Test
    void aClientThatDisconnectsCancelsItsGeneration() {
        String tenant = newTenant();
        long finishedBefore = served().engine().stats().requestsFinished();

        List<ServerSentEvent<Map<String, Object>>> firstTokens = streaming(tenant, """
                {"conversationId": "walked-away", "retrieval": {"enabled": false},
                 "messages": [{"role": "user", "content": "Write a long story about a dragon."}],
                 "sampling": {"temperature": 0.8, "seed": 1, "maxTokens": 1000}}""")
                .take(3).collectList().block(Duration.ofMinutes(1));

        assertThat(firstTokens).extracting(ServerSentEvent::event).containsOnly("token");
        // The engine finishes the request long before 1000 tokens (seconds) once the connection is gone.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> served().engine().stats().running() == 0
                && served().engine().stats().requestsFinished() > finishedBefore);
        assertThat(served().engine().stats().decodeTokens()).isLessThan(1000);
        http.get().uri("/api/conversations/walked-away").header(TENANT, tenant).exchange()
                .expectStatus().isNotFound();
    }
}
