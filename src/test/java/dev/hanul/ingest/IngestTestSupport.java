package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The running service on a random port with its own data directory (real H2 file, real Lucene directories), and the
 * steps the ingestion tests repeat. Every test works in a tenant of its own, so tests never see each other's
 * documents, whatever order they run in and whatever earlier runs left in the data directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/ingest",
        "hanul.ingest.max-file-size=2MB",
        "hanul.ingest.max-request-size=16MB"})
@AutoConfigureWebTestClient(timeout = "PT60S")
abstract class IngestTestSupport {

    static final String TENANT = "X-Tenant-Id";

    @Autowired
    WebTestClient http;

    /** Posts files (name to bytes) as one multipart request and returns the accepted job's id. */
    String upload(String tenant, Map<String, byte[]> files, String metadata) {
        return http.post().uri("/api/ingest").header(TENANT, tenant)
                .body(BodyInserters.fromMultipartData(multipart(files, metadata)))
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
    }

    static MultiValueMap<String, HttpEntity<?>> multipart(
            Map<String, byte[]> files, String metadata) {
        var body = new MultipartBodyBuilder();
        files.forEach((name, bytes) -> body.part("file", bytes).filename(name)
                .contentType(MediaType.APPLICATION_OCTET_STREAM));
        if (metadata != null) {
            body.part("metadata", metadata);
        }
        return body.build();
    }

    /** Posts text documents and returns the job id. */
    String ingestText(String tenant, String json) {
        return http.post().uri("/api/ingest/text").header(TENANT, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
    }

    /** Polls the job until every document in it has a final status. */
    JobView awaitJob(String tenant, String jobId) {
        return Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(tenant, jobId), job -> job.finishedAt() != null);
    }

    JobView job(String tenant, String jobId) {
        return http.get().uri("/api/ingest/jobs/{id}", jobId).header(TENANT, tenant).exchange()
                .expectStatus().isOk()
                .expectBody(JobView.class).returnResult().getResponseBody();
    }

    /** The hits of a search, as plain maps. */
    List<Map<String, Object>> search(String tenant, String json) {
        Map<String, Object> response = http.post().uri("/api/search").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json)
                .exchange()
                .expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        assertThat(response).containsKey("hits");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hits = (List<Map<String, Object>>) response.get("hits");
        return hits;
    }

    static String searchJson(String query, String mode) {
        return "{\"query\": \"" + query + "\", \"mode\": \"" + mode + "\", \"topK\": 5}";
    }
}
