package dev.hanul.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.HanulApplication;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The disk that holds the index fills up while a job runs, for real: the index directory is a small tmpfs of its own
 * (mounted for the test, which needs root or CAP_SYS_ADMIN and is skipped with the reason otherwise), and a file
 * takes all its space. The job must fail cleanly (its documents FAILED with the reason, nothing of them searchable,
 * the service up), and once the space is back the same documents go in, with no chunk in the index twice.
 */
class DiskFullDuringIngestionTest {

    private static final String TENANT = "full";

    @TempDir
    Path dataDir;

    private Path indexDisk;

    @BeforeEach
    void mountASmallDiskForTheIndex() throws Exception {
        indexDisk = dataDir.resolve("index");
        Files.createDirectories(indexDisk);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", indexDisk.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).strip();
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(mounted, () -> "Skipped: a 16 MB tmpfs for the index could not be mounted (needs root "
                + "or CAP_SYS_ADMIN): " + said);
    }

    @AfterEach
    void unmount() throws Exception {
        if (indexDisk != null) {
            new ProcessBuilder("umount", "-l", indexDisk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskFailsTheJobCleanlyAndIngestionRecoversWhenSpaceReturns() throws IOException {
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(HanulApplication.class)
                .run("--server.port=0", "--hanul.data-dir=" + dataDir, "--hanul.model.offline=true")) {
            WebTestClient http = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort())
                    .responseTimeout(Duration.ofSeconds(60)).build();
            assertThat(ingest(http, "before", 3).status()).isEqualTo("COMPLETED");

            Path filler = indexDisk.resolve("filler");
            fill(filler);
            JobView full = ingest(http, "during", 4);
            assertThat(full.status()).as("errors: %s", full.errors()).isEqualTo("FAILED");
            assertThat(full.errors()).allSatisfy(error -> assertThat(error.reason()).containsIgnoringCase(
                    "no space left on device"));
            http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            assertThat(search(http, "markerduring0")).as("nothing of the failed job is searchable").isEmpty();
            assertThat(search(http, "markerbefore1")).as("what was indexed before stays").isNotEmpty();

            Files.delete(filler);
            JobView again = ingest(http, "during", 4);
            assertThat(again.status()).as("errors: %s", again.errors()).isEqualTo("COMPLETED");
            for (int i = 0; i < 4; i++) {
                assertThat(search(http, "markerduring" + i)).containsExactly("during-" + i);
            }
            JobView more = ingest(http, "after", 2);
            assertThat(more.status()).as("errors: %s", more.errors()).isEqualTo("COMPLETED");
            assertThat(chunksInIndex(http)).as("chunks in the index, none twice").isEqualTo(chunksInMetadata(http));
        }
    }

    /** Writes until the file system refuses: what a full disk looks like to the next writer. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).containsIgnoringCase("no space left on device");
        }
    }

    private static JobView ingest(WebTestClient http, String name, int count) {
        var json = new StringBuilder("{\"documents\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"").append(name).append('-').append(i)
                    .append("\", \"text\": \"");
            for (int s = 0; s < 30; s++) {
                json.append("Sentence ").append(s).append(" of document ").append(i)
                        .append(" is about storage that runs out of room. ");
            }
            json.append("The unique word is marker").append(name).append(i).append(".\"}");
        }
        String jobId = http.post().uri("/api/ingest/text").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json.append("]}").toString()).exchange()
                .expectStatus().isAccepted().expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
        return Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get().uri("/api/ingest/jobs/{id}", jobId).header("X-Tenant-Id", TENANT).exchange()
                        .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody(),
                        job -> job.finishedAt() != null);
    }

    private static List<String> search(WebTestClient http, String word) {
        Map<String, Object> result = http.post().uri("/api/search").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"" + word + "\", \"mode\": \"bm25\", \"topK\": 10}").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hits = (List<Map<String, Object>>) result.get("hits");
        return hits.stream().map(hit -> (String) hit.get("documentId")).distinct().toList();
    }

    private static long chunksInMetadata(WebTestClient http) {
        Map<String, Object> page = http.get().uri("/api/documents?limit=1000").header("X-Tenant-Id", TENANT)
                .exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> documents = (List<Map<String, Object>>) page.get("documents");
        return documents.stream().mapToLong(document -> ((Number) document.get("chunkCount")).longValue()).sum();
    }

    /** Every chunk the tenant has in the index: a BM25 search for the word every chunk of these texts holds. */
    private static long chunksInIndex(WebTestClient http) {
        Map<String, Object> result = http.post().uri("/api/search").header("X-Tenant-Id", TENANT)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"sentence\", \"mode\": \"bm25\", \"topK\": 100}").exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        return ((List<?>) result.get("hits")).size();
    }
}
