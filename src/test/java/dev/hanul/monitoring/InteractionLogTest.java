package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.api.TestTenants;
import dev.hanul.chat.OfficeDocuments;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every API's requests land in the interaction log of their tenant, with the model version, timings, tokens and (for
 * RAG) the template and the retrieved chunks; the log is filtered, paged and exported per tenant, takes feedback by
 * the OpenAI response id, counts it in /actuator/prometheus, and is deleted with its tenant.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/interaction-log", "hanul.model.threads=1"})
@AutoConfigureWebTestClient
class InteractionLogTest {

    static final String MODEL = "stories260K-f32";
    /** The version that answers: the registry's first version of the configured model. */
    static final String VERSION = MODEL + "@1";
    static final String TENANT = "X-Tenant-Id";
    final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    WebTestClient http() {
        return client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void eachApiIsRecordedForItsTenantAndTakesFeedback() {
        String tenant = TestTenants.newTenant();
        String other = TestTenants.newTenant();
        JsonNode chat = post(tenant, "/v1/chat/completions", """
                {"model": "%s", "max_tokens": 6, "messages": [{"role": "user", "content": "Once upon a time"}]}"""
                .formatted(MODEL));
        String chatId = chat.get("id").asString();
        post(tenant, "/v1/completions", """
                {"model": "%s", "max_tokens": 4, "prompt": "Lily had a dog"}""".formatted(MODEL));
        post(other, "/v1/completions", """
                {"model": "%s", "max_tokens": 4, "prompt": "Tom had a cat"}""".formatted(MODEL));

        JsonNode record = awaitRecord(tenant, chatId);
        assertThat(record.get("api").asString()).isEqualTo("openai.chat");
        assertThat(record.get("modelVersion").asString()).isEqualTo(VERSION);
        assertThat(record.get("question").asString()).isEqualTo("Once upon a time");
        assertThat(record.get("prompt").asString()).contains("Once upon a time");
        assertThat(record.get("response").asString())
                .isEqualTo(chat.get("choices").get(0).get("message").get("content").asString());
        assertThat(record.get("finishReason").asString())
                .isEqualTo(chat.get("choices").get(0).get("finish_reason").asString());
        assertThat(record.get("usage").get("promptTokens").asInt())
                .isEqualTo(chat.get("usage").get("prompt_tokens").asInt());
        assertThat(record.get("usage").get("completionTokens").asInt())
                .isEqualTo(chat.get("usage").get("completion_tokens").asInt());
        JsonNode scores = record.get("scores");
        assertThat(scores.get("relevance").asDouble()).isBetween(-1.0, 1.0);
        assertThat(scores.get("jailbreak_similarity").asDouble()).isBetween(-1.0, 1.0);
        assertThat(scores.get("refusal_similarity").asDouble()).isBetween(-1.0, 1.0);
        assertThat(scores.get("pii_question").asDouble()).isZero();
        assertThat(scores.get("response_characters").asInt())
                .isEqualTo(record.get("response").asString().length());
        double first = record.get("timings").get("firstTokenMs").asDouble();
        assertThat(first).isPositive().isLessThanOrEqualTo(record.get("timings").get("totalMs").asDouble());

        // The other tenant sees only its own record, and not this one.
        http().get().uri("/api/interactions/{id}", chatId).header(TENANT, other).exchange()
                .expectStatus().isNotFound();
        JsonNode page = awaitPage(tenant, "", 2);
        assertThat(page.get("items")).extracting(i -> i.get("api").asString())
                .containsExactly("openai.completions", "openai.chat");
        JsonNode filtered = get(tenant, "/api/interactions?api=openai.completions&size=1&page=0");
        assertThat(filtered.get("total").asLong()).isEqualTo(1);
        assertThat(filtered.get("items").get(0).get("question").asString()).isEqualTo("Lily had a dog");
        assertThat(get(tenant, "/api/interactions?size=1&page=1").get("items").get(0).get("id").asString())
                .isEqualTo(chatId);
        assertThat(get(tenant, "/api/interactions?from=" + Instant.now().plusSeconds(3600)).get("total").asLong())
                .isZero();

        // Feedback by the OpenAI response id, in the record, in the filters and as a metric.
        JsonNode rated = json.readTree(http().post().uri("/api/interactions/{id}/feedback", chatId)
                .header(TENANT, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"rating\": \"down\", \"comment\": \"too short\"}").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(rated.get("feedback").get("rating").asString()).isEqualTo("down");
        assertThat(rated.get("feedback").get("comment").asString()).isEqualTo("too short");
        assertThat(get(tenant, "/api/interactions?rating=down").get("total").asLong()).isEqualTo(1);
        assertThat(get(tenant, "/api/interactions?rating=none").get("total").asLong()).isEqualTo(1);
        String metrics = http().get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectBody(String.class).returnResult().getResponseBody();
        PrometheusScrape scrape = PrometheusScrape.parse(metrics);
        assertThat(scrape.value("hanul_feedback_total", "api", "openai.chat", "model_version", VERSION,
                "rating", "down")).isGreaterThanOrEqualTo(1);
        assertThat(scrape.value("hanul_quality_score_count", "score", "relevance", "model_version", VERSION))
                .isGreaterThanOrEqualTo(2);
        shippedRulesAndDashboardUseOnlyExportedSeries(scrape);

        // JSONL export: one record a line, oldest first.
        String export = http().get().uri("/api/interactions/export").header(TENANT, tenant).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> lines = export.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(json.readTree(lines.get(0)).get("id").asString()).isEqualTo(chatId);

        http().delete().uri("/api/interactions").header(TENANT, tenant).exchange().expectStatus().isNoContent();
        assertThat(get(tenant, "/api/interactions").get("total").asLong()).isZero();
        assertThat(get(other, "/api/interactions").get("total").asLong()).isEqualTo(1);
    }

    @Test
    void ragChatRecordsItsTemplateAndChunksAndNamesTheRecord() {
        String tenant = TestTenants.newTenant();
        String job = json.readTree(http().post().uri("/api/ingest/text").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(OfficeDocuments.JSON).exchange()
                .expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody())
                .get("jobId").asString();
        Awaitility.await().atMost(Duration.ofMinutes(5)).until(() -> !get(tenant, "/api/ingest/jobs/" + job)
                .get("finishedAt").isNull());
        JsonNode answer = post(tenant, "/api/chat", """
                {"messages": [{"role": "user", "content": "What does the cafeteria serve on Wednesdays?"}],
                 "sampling": {"maxTokens": 8}, "stream": false}""");
        String id = answer.get("interactionId").asString();
        JsonNode record = awaitRecord(tenant, id);
        assertThat(record.get("api").asString()).isEqualTo("chat");
        assertThat(record.get("template").get("name").asString())
                .isEqualTo(answer.get("template").get("name").asString());
        assertThat(record.get("template").get("version").asInt())
                .isEqualTo(answer.get("template").get("version").asInt());
        List<String> cited = answer.get("citations").valueStream()
                .flatMap(c -> c.get("chunkIds").valueStream().map(JsonNode::asString)).toList();
        assertThat(cited).isNotEmpty();
        assertThat(record.get("chunks")).extracting(c -> c.get("id").asString()).containsExactlyElementsOf(cited);
        assertThat(record.get("chunks")).allSatisfy(c -> assertThat(c.get("score").asDouble()).isPositive());
        assertThat(record.get("response").asString()).isEqualTo(answer.get("answer").asString());
        // scores from the quoted passages: how well they match the question, how much of the answer they support
        JsonNode scores = record.get("scores");
        assertThat(scores.get("context_relevance").asDouble()).isBetween(-1.0, 1.0);
        List<String> passages = answer.get("citations").valueStream().map(c -> c.get("text").asString()).toList();
        Double grounded = Groundedness.share(answer.get("answer").asString(), passages);
        if (grounded == null) {
            assertThat(scores.has("groundedness")).isFalse();
        } else {
            assertThat(scores.get("groundedness").asDouble()).isEqualTo(grounded);
        }
    }

    @Test
    void badQueriesAndFeedbackAreExplained() {
        String tenant = TestTenants.newTenant();
        http().get().uri("/api/interactions?size=1000").header(TENANT, tenant).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m ->
                        assertThat((String) m).contains("size between 1 and 200"));
        http().get().uri("/api/interactions?from=yesterday").header(TENANT, tenant).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m ->
                        assertThat((String) m).contains("ISO-8601"));
        http().post().uri("/api/interactions/nope/feedback").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"rating\": \"meh\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.message").value(m ->
                        assertThat((String) m).contains("\"up\" or \"down\""));
        http().post().uri("/api/interactions/nope/feedback").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"rating\": \"up\"}").exchange()
                .expectStatus().isNotFound();
    }

    /** Every series the shipped alert rules and dashboard query is in the scrape (a renamed metric breaks them). */
    static void shippedRulesAndDashboardUseOnlyExportedSeries(PrometheusScrape scrape) {
        var names = java.util.regex.Pattern.compile("\\b(?:vllm|gen_ai|hanul)_[a-z0-9_]+");
        for (String file : List.of("ops/prometheus/hanul-alerts.yml", "ops/grafana/hanul-dashboard.json")) {
            String text;
            try {
                text = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<String> used = names.matcher(text).results().map(java.util.regex.MatchResult::group).distinct()
                    .toList();
            assertThat(used).as(file).isNotEmpty();
            assertThat(used).as(file + ": series it queries").allSatisfy(name -> assertThat(scrape.samples())
                    .as(name).anyMatch(sample -> sample.name().equals(name)));
        }
    }

    JsonNode awaitRecord(String tenant, String id) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    var result = http().get().uri("/api/interactions/{id}", id).header(TENANT, tenant).exchange()
                            .returnResult(String.class);
                    return result.getStatus().is2xxSuccessful()
                            ? json.readTree(result.getResponseBody().collectList().block().stream()
                                    .reduce("", String::concat)) : null;
                }, r -> r != null);
    }

    JsonNode awaitPage(String tenant, String query, int total) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(tenant, "/api/interactions" + query), p -> p.get("total").asLong() == total);
    }

    JsonNode get(String tenant, String uri) {
        return json.readTree(http().get().uri(uri).header(TENANT, tenant).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    JsonNode post(String tenant, String uri, String body) {
        return json.readTree(http().post().uri(uri).header(TENANT, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
