package dev.hanul.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Evaluation runs over HTTP on a public set (two SQuAD 2.0 articles, src/test/resources/eval/squad2-sample): the
 * corpus ingested, the BEIR queries and qrels uploaded, runs under different retrieval settings executed in the
 * background, and compared. A real difference (the same BM25 ranking cut at 1 instead of 10 loses every relevant
 * paragraph below rank 1) is flagged; a relabelled copy of a run is not.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/eval", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class EvalApiTest {

    @Autowired
    WebTestClient http;

    @Autowired
    ObjectMapper json;

    @Test
    void runsAreComparedWithASignificanceTest() throws IOException {
        String tenant = "eval-" + UUID.randomUUID().toString().substring(0, 8);
        ingestCorpus(tenant);
        String dataset = json.readTree(http.post().uri("/api/eval/datasets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "squad2-sample", "tenant", tenant, "queries", resource("queries.jsonl"),
                        "qrels", resource("qrels.tsv")))
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody())
                .get("id").asString();

        String bm25 = run(dataset, "bm25 top 10", Map.of("mode", "BM25", "topK", 10, "generate", false));
        String copy = run(dataset, "bm25 top 10 again", Map.of("mode", "BM25", "topK", 10, "generate", false));
        String cut = run(dataset, "bm25 top 1", Map.of("mode", "BM25", "topK", 1, "generate", false));
        JsonNode finished = awaitFinished(bm25);
        awaitFinished(copy);
        awaitFinished(cut);

        assertThat(finished.at("/run/done").asInt()).isEqualTo(164);
        assertThat(finished.at("/means/ndcg@10").asDouble()).as("BM25 finds SQuAD's paragraphs").isGreaterThan(0.5);
        assertThat(finished.at("/means/recall@10").asDouble()).isBetween(0.6, 1.0);

        JsonNode relabelled = compare(bm25, copy).at("/metrics/mrr");
        assertThat(relabelled.at("/differences/0").asDouble()).isZero();
        assertThat(relabelled.at("/pValues/0").asDouble()).isEqualTo(1.0);

        JsonNode real = compare(bm25, cut).at("/metrics/mrr");
        assertThat(real.at("/differences/0").asDouble()).isNegative();
        assertThat(real.at("/pValues/0").asDouble()).isLessThan(0.01);

        String csv = http.get().uri("/api/eval/runs/{id}/results?format=csv", bm25).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("item_id,latency_ms").contains("ndcg@10");
        assertThat(csv.lines().count()).isEqualTo(165);
    }

    @Test
    void badDatasetsAreRefusedWithTheLine() {
        http.post().uri("/api/eval/datasets").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "broken", "jsonl", "{\"question\": \"ok\"}\n{\"answers\": []}"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").isEqualTo("jsonl line 2 has no question; each line needs "
                        + "{\"question\": \"...\"} and optionally id, answers and relevant.");
        http.post().uri("/api/eval/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("dataset", "nope")).exchange().expectStatus().isNotFound();
    }

    private void ingestCorpus(String tenant) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (String line : resource("corpus.jsonl").split("\n")) {
            JsonNode paragraph = json.readTree(line);
            documents.add(Map.of("id", paragraph.get("_id").asString(), "source", paragraph.get("title").asString(),
                    "text", paragraph.get("text").asString()));
        }
        String job = json.readTree(http.post().uri("/api/ingest/text").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("documents", documents)).exchange()
                .expectStatus().isAccepted().expectBody().returnResult().getResponseBody()).get("jobId").asString();
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> json.readTree(http.get().uri("/api/ingest/jobs/{id}", job).header("X-Tenant-Id", tenant)
                        .exchange().expectBody().returnResult().getResponseBody()).get("status").asString(),
                        status -> status.equals("COMPLETED"));
    }

    private String run(String dataset, String name, Map<String, Object> config) {
        return json.readTree(http.post().uri("/api/eval/runs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("dataset", dataset, "name", name, "config", config)).exchange()
                .expectStatus().isAccepted().expectBody().returnResult().getResponseBody()).get("id").asString();
    }

    private JsonNode awaitFinished(String run) {
        return Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> json.readTree(http.get().uri("/api/eval/runs/{id}", run).exchange()
                        .expectStatus().isOk().expectBody().returnResult().getResponseBody()),
                        view -> view.at("/run/status").asString().equals("finished"));
    }

    private JsonNode compare(String baseline, String other) {
        return json.readTree(http.get().uri("/api/eval/compare?runs={a},{b}", baseline, other).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EvalApiTest.class.getResourceAsStream("/eval/squad2-sample/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
