package dev.hanul.prompts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The prompt registry as its users drive it over HTTP: a new version, a diff, a label moved (the chat answers with
 * the version it points at), an A/B split that keeps each conversation on one version, a rollback, and the exact
 * prompt a model would see. Each test works on a template of its own, so they do not see each other's labels.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/prompts", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class PromptRegistryApiTest {

    private static final String V1 = "Sources:{% for s in sources %} [{{ s.marker }}] {{ s.text }}{% endfor %}\n"
            + "Question: {{ question }}";
    private static final String V2 = "Answer briefly.\nSources:{% for s in sources %} [{{ s.marker }}] {{ s.text }}"
            + "{% endfor %}\nQuestion: {{ question }}";

    @Autowired
    WebTestClient http;

    @Autowired
    ObjectMapper json;

    @Test
    void builtInTemplatesAreSeededWithProductionOnTheNewest() {
        JsonNode prompt = get("/api/prompts/rag-default");
        assertThat(prompt.get("versions").size()).isGreaterThanOrEqualTo(3);
        assertThat(prompt.at("/versions/0/createdBy").asString()).isEqualTo("built-in");
        assertThat(prompt.at("/labels/production").asString()).isEqualTo("3");
    }

    @Test
    void versionsAreCreatedDiffedAndServedWhereTheLabelPoints() {
        String name = newName();
        assertThat(create(name, V1, "first").get("version").asInt()).isEqualTo(1);
        assertThat(create(name, V2, "ask for brevity").get("version").asInt()).isEqualTo(2);

        String diff = get("/api/prompts/" + name + "/diff?from=1&to=2").get("text").asString();
        assertThat(diff).contains("--- " + name + "@1").contains("+++ " + name + "@2").contains("+Answer briefly.");

        assertThat(chatTemplateVersion(name, null)).as("without a production label: the newest").isEqualTo(2);
        move(name, "production", "{\"version\": 1}");
        assertThat(chatTemplateVersion(name, null)).isEqualTo(1);
        assertThat(chatTemplateVersion(name + "@production", null)).isEqualTo(1);
        assertThat(chatTemplateVersion(name + "@2", null)).isEqualTo(2);

        move(name, "production", "{\"version\": 2}");
        assertThat(chatTemplateVersion(name, null)).isEqualTo(2);
        http.post().uri("/api/prompts/" + name + "/labels/production/rollback").exchange().expectStatus().isOk();
        assertThat(chatTemplateVersion(name, null)).as("rolled back to where it was").isEqualTo(1);

        JsonNode history = get("/api/prompts/" + name + "/labels/production/history");
        assertThat(history).extracting(change -> change.get("toTargets").asString()).containsExactly("1", "2", "1");
        assertThat(history.get(0).get("changedBy").asString()).isEqualTo("anonymous");
    }

    @Test
    void aSplitLabelKeepsEachConversationOnOneVersion() {
        String name = newName();
        create(name, V1, "a");
        create(name, V2, "b");
        move(name, "production", "{\"split\": {\"1\": 50, \"2\": 50}}");

        Map<String, Integer> first = new HashMap<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            String conversation = "ab-" + i;
            int version = chatTemplateVersion(name, conversation);
            first.put(conversation, version);
            seen.add(version);
        }
        assertThat(seen).as("16 conversations on a 50/50 split reach both versions").containsExactlyInAnyOrder(1, 2);
        first.forEach((conversation, version) -> assertThat(chatTemplateVersion(name, conversation))
                .as(conversation).isEqualTo(version));
    }

    @Test
    void renderShowsTheExactPromptAndItsTokens() {
        String name = newName();
        create(name, V1, "first");
        JsonNode rendered = post("/api/prompts/" + name + "/render", """
                {"question": "Who is Lily?", "sources": [{"text": "Lily is a girl.", "source": "story.txt"}]}""");
        assertThat(rendered.get("version").asInt()).isEqualTo(1);
        assertThat(rendered.at("/messages/0/content").asString())
                .isEqualTo("Sources: [1] Lily is a girl.\nQuestion: Who is Lily?");
        assertThat(rendered.get("prompt").asString()).contains("Question: Who is Lily?");
        assertThat(rendered.get("tokens").asInt()).isGreaterThan(10);
    }

    @Test
    void badInputIsRefusedWithWhatToFix() {
        String name = newName();
        http.post().uri("/api/prompts/" + name + "/versions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\": \"{% for %}\"}").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
                        .startsWith("text does not render"));
        create(name, V1, "first");
        http.put().uri("/api/prompts/" + name + "/labels/production").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"version\": 7}").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, m -> assertThat(m)
                        .contains("has no version 7"));
        http.get().uri("/api/prompts/nobody-" + UUID.randomUUID()).exchange().expectStatus().isNotFound();
        chat(name + "@staging", null).expectStatus().isBadRequest().expectBody().jsonPath("$.message")
                .value(String.class, m -> assertThat(m).contains("names no label").contains("it has none yet"));
    }

    private static String newName() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JsonNode create(String name, String text, String message) {
        return json.readTree(http.post().uri("/api/prompts/" + name + "/versions")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", text, "message", message)).exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody());
    }

    private void move(String name, String label, String body) {
        http.put().uri("/api/prompts/" + name + "/labels/" + label).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    private int chatTemplateVersion(String template, String conversation) {
        byte[] body = chat(template, conversation).expectStatus().isOk().expectBody().returnResult()
                .getResponseBody();
        return json.readTree(body).at("/template/version").asInt();
    }

    private WebTestClient.ResponseSpec chat(String template, String conversation) {
        Map<String, Object> request = new HashMap<>(Map.of(
                "messages", List.of(Map.of("role", "user", "content", "Who is Lily?")),
                "template", Map.of("name", template), "sampling", Map.of("maxTokens", 2), "stream", false));
        if (conversation != null) {
            request.put("conversationId", conversation);
        }
        return http.post().uri("/api/chat").header("X-Tenant-Id", "prompts-test")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(request).exchange();
    }

    private JsonNode get(String uri) {
        return json.readTree(http.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult()
                .getResponseBody());
    }

    private JsonNode post(String uri, String body) {
        return json.readTree(http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }
}
