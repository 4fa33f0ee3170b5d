package dev.hanul.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.HanulApplication;
import dev.hanul.embedding.Embedder;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * kill -9 in the middle of a job, for real: the service runs in a child JVM, is killed while it ingests, and is
 * started again on the same data directory. Every document the API had reported indexed must be searchable, the job
 * must resume and finish, and no chunk may be in the index twice.
 */
class KillDuringIngestionTest {

    private static final int DOCUMENTS = 30;
    private static final String TENANT = "durable";

    @TempDir
    Path dataDir;

    @Test
    void documentsReportedIndexedSurviveAKillAndTheJobResumes() throws Exception {
        int port = freePort();
        Process child = startChild(port);
        Set<String> reportedIndexed;
        String jobId;
        try {
            WebTestClient http = client(port);
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    // Liveness, not readiness: readiness waits for the language model, which ingestion never uses.
                    .ignoreExceptions().until(() -> http.get().uri("/actuator/health/liveness").exchange()
                            .returnResult(String.class).getStatus().is2xxSuccessful());
            jobId = http.post().uri("/api/ingest/text").header("X-Tenant-Id", TENANT)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(MarkedDocuments.json(DOCUMENTS, "durable storage and recovery")).exchange()
                    .expectStatus().isAccepted()
                    .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
            String id = jobId;
            JobView midway = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> MarkedDocuments.job(http, TENANT, id),
                            job -> job.progress().indexedDocuments() >= 3);
            child.destroyForcibly();
            assertThat(midway.progress().done()).as("the kill landed before the job finished").isLessThan(DOCUMENTS);
            reportedIndexed = midway.documents().stream().filter(entry -> entry.status().equals("INDEXED"))
                    .map(JobView.Entry::documentId).collect(Collectors.toSet());
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }

        long chunksInMetadata;
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(HanulApplication.class)
                .run("--server.port=0", "--hanul.data-dir=" + dataDir)) {
            WebTestClient http = client(((WebServerApplicationContext) restarted).getWebServer().getPort());
            JobView finished = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> MarkedDocuments.job(http, TENANT, jobId), job -> job.finishedAt() != null);
            assertThat(finished.status()).as("errors: %s", finished.errors()).isEqualTo("COMPLETED");
            assertThat(finished.progress().indexedDocuments() + finished.progress().unchangedDocuments())
                    .isEqualTo(DOCUMENTS);
            chunksInMetadata = storedChunkCount(http);
        }

        try (VectorStore store = VectorStore.open(dataDir.resolve("index").resolve("chunks"),
                IndexConfig.of(Embedder.DIMENSION, VectorSimilarity.DOT_PRODUCT))) {
            assertThat(store.count(TENANT)).as("chunks in the index, none twice").isEqualTo(chunksInMetadata);
            for (String documentId : reportedIndexed) {
                String marker = "marker" + documentId.substring("doc-".length());
                assertThat(store.search(SearchRequest.text(TENANT, marker)))
                        .as("document %s, reported indexed before the kill", documentId)
                        .extracting(hit -> hit.documentId()).contains(documentId);
            }
        }
    }

    private Process startChild(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                HanulApplication.class.getName(),
                "--server.port=" + port, "--hanul.data-dir=" + dataDir, "--hanul.model.offline=true",
                // One document at a time, embedded a few chunks at a time: the kill lands between commits.
                "--hanul.ingest.workers=1", "--hanul.ingest.embed-batch-size=2"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-child.log").toFile())
                .start();
    }

    private static long storedChunkCount(WebTestClient http) {
        Map<String, Object> page = http.get().uri("/api/documents?limit=1000").header("X-Tenant-Id", TENANT)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> documents = (List<Map<String, Object>>) page.get("documents");
        assertThat(documents).hasSize(DOCUMENTS);
        return documents.stream().mapToLong(document -> ((Number) document.get("chunkCount")).longValue()).sum();
    }

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
