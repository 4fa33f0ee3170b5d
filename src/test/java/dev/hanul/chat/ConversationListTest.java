package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;

/**
 * What the web UI's chat page needs besides {@code /api/chat}: the tenant's conversations, newest first, and taking
 * the last turn back to regenerate it. Same context as {@link ChatApiTest} (stories260K).
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/chat-api", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ConversationListTest extends ChatTestSupport {

    private static final String ASK = """
            {"conversationId": "%s", "retrieval": {"enabled": false},
             "messages": [{"role": "user", "content": "%s"}], "sampling": {"maxTokens": 4}, "stream": false}""";

    @Test
    void conversationsAreListedNewestFirstWithTheirFirstQuestionPerTenant() {
        String tenant = newTenant();
        call(tenant, ASK.formatted("older", "Tell me  about\\nthe sea"));
        call(tenant, ASK.formatted("newer", "Tell me about the moon"));
        call(tenant, ASK.formatted("newer", "And the stars?"));
        call(newTenant(), ASK.formatted("elsewhere", "Not this tenant's"));

        List<Map<String, Object>> listed = list(tenant, "");

        assertThat(listed).extracting(c -> c.get("conversationId")).containsExactly("newer", "older");
        assertThat(listed).extracting(c -> c.get("title"))
                .containsExactly("Tell me about the moon", "Tell me about the sea");
        assertThat(listed).extracting(c -> c.get("messages")).containsExactly(4, 2);
        assertThat(list(tenant, "?limit=1")).extracting(c -> c.get("conversationId")).containsExactly("newer");
        http.get().uri("/api/conversations?limit=0").header(TENANT, tenant).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("limit must be between 1 and 500, got 0.");
    }

    @Test
    void theLastTurnComesOffSoTheQuestionCanBeAskedAgain() {
        String tenant = newTenant();
        call(tenant, ASK.formatted("redo", "First question"));
        Map<String, Object> second = call(tenant, ASK.formatted("redo", "Second question"));

        http.delete().uri("/api/conversations/redo/last-turn").header(TENANT, tenant).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.question").isEqualTo("Second question")
                .jsonPath("$.answer").isEqualTo(second.get("answer"));
        List<String> left = http.get().uri("/api/conversations/redo").header(TENANT, tenant).exchange()
                .expectStatus().isOk().expectBody(ConversationView.class).returnResult().getResponseBody()
                .messages().stream().map(ConversationView.Message::content).toList();
        assertThat(left).hasSize(2).first().isEqualTo("First question");

        call(tenant, ASK.formatted("redo", "Second question"));
        assertThat(list(tenant, "").getFirst()).containsEntry("messages", 4);

        http.delete().uri("/api/conversations/redo/last-turn").header(TENANT, newTenant()).exchange()
                .expectStatus().isNotFound();
        http.delete().uri("/api/conversations/never/last-turn").header(TENANT, tenant).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.message").value(m ->
                        assertThat((String) m).contains("no last turn"));
    }

    private List<Map<String, Object>> list(String tenant, String query) {
        return http.get().uri("/api/conversations" + query).header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() { })
                .returnResult().getResponseBody();
    }
}
