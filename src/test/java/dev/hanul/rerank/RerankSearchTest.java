package dev.hanul.rerank;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The reranking stage in the running service, on the test copy of ms-marco-MiniLM-L-12-v2 (skipped when absent):
 * on by default, it puts the chunk that answers above one that only repeats the question's words, which the fused
 * order puts first; a request can turn it off or narrow its candidates; Korean queries keep the fused order; each
 * reranking is observed as {@code hanul.chat.rerank}.
 */
@EnabledIf("modelPresent")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/rerank", "hanul.security.enabled=false"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class RerankSearchTest {

    private static final String QUESTION = "How many days of paid vacation do employees get?";

    @Autowired
    WebTestClient http;

    static boolean modelPresent() {
        return TestModels.find(CrossEncoderTest.MODEL).isPresent();
    }

    @DynamicPropertySource
    static void reranker(DynamicPropertyRegistry registry) {
        registry.add("hanul.rerank.path", () -> TestModels.find(CrossEncoderTest.MODEL).orElseThrow().toString());
    }

    @Test
    void theAnswerComesFirstOnceReranked() {
        String tenant = ingested();
        Map<String, Object> fused = search(tenant, "{\"query\": \"%s\", \"rerank\": false}".formatted(QUESTION));
        assertThat(fused.get("reranker")).isNull();
        assertThat(sources(fused).getFirst()).isEqualTo("requests.md");

        Map<String, Object> reranked = search(tenant, "{\"query\": \"%s\"}".formatted(QUESTION));
        assertThat(reranked.get("reranker")).isEqualTo(CrossEncoder.ID);
        assertThat(sources(reranked)).containsExactly("leave.md", "requests.md", "cafeteria.md");
        List<Double> scores = hits(reranked).stream()
                .map(hit -> ((Number) ((Map<?, ?>) hit.get("scores")).get("score")).doubleValue()).toList();
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a)).allMatch(s -> s > 0 && s < 1);
        // BM25's and kNN's own ranks stay visible on a reranked hit.
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) hits(reranked).getFirst().get("scores");
        assertThat(first).containsKeys("bm25", "vector");

        // Two candidates: the reranker only reorders what fusion ranked in its top two.
        Map<String, Object> narrow = search(tenant, "{\"query\": \"%s\", \"topK\": 1, \"rerankCandidates\": 2}"
                .formatted(QUESTION));
        assertThat(sources(narrow)).containsExactly("leave.md");

        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).containsPattern("hanul_chat_rerank_seconds_count\\{[^}]*} [1-9]");
    }

    @Test
    void koreanQueriesKeepTheFusedOrderUnlessAsked() {
        String tenant = ingested();
        assertThat(search(tenant, "{\"query\": \"유급 휴가는 며칠인가요?\"}").get("reranker")).isNull();
        assertThat(search(tenant, "{\"query\": \"유급 휴가는 며칠인가요?\", \"rerank\": true}").get("reranker"))
                .isEqualTo(CrossEncoder.ID);
    }

    @Test
    void candidatesOutsideTheLimitsAreRefused() {
        http.post().uri("/api/search").header("X-Tenant-Id", newTenant()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"leave\", \"rerankCandidates\": 0}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("rerankCandidates must be between 1 and 200, got 0.");
    }

    private String ingested() {
        String tenant = newTenant();
        String job = http.post().uri("/api/ingest/text").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"documents": [
                          {"source": "requests.md", "text": "Vacation requests: employees submit paid vacation days \
                        in the vacation calendar. Questions about vacation go to HR."},
                          {"source": "leave.md", "text": "Full-time staff receive 25 days of paid leave per year."},
                          {"source": "cafeteria.md", "text": "The cafeteria serves bibimbap on Wednesdays."}]}""")
                .exchange().expectStatus().isAccepted()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody().get("jobId").toString();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                http.get().uri("/api/ingest/jobs/{id}", job).header("X-Tenant-Id", tenant).exchange()
                        .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                        .returnResult().getResponseBody().get("finishedAt") != null);
        return tenant;
    }

    private Map<String, Object> search(String tenant, String json) {
        return http.post().uri("/api/search").header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hits(Map<String, Object> response) {
        return (List<Map<String, Object>>) response.get("hits");
    }

    private static List<Object> sources(Map<String, Object> response) {
        return hits(response).stream().<Object>map(hit -> ((Map<?, ?>) hit.get("metadata")).get("source")).toList();
    }
}
