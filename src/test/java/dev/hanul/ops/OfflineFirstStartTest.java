package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
 * The first start of a machine without network: the default model's download cannot even resolve the hub's name.
 * The service stays up, and readiness, the log and the API all say which address failed, why, and what to do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/offline-first-start",
        "hanul.model.offline=false",
        "hanul.model.endpoint=http://hub.hanul-test.invalid",
        "hanul.model.repository=HuggingFaceTB/SmolLM2-135M-Instruct-GGUF",
        "hanul.model.file=smollm2-135m-instruct-q8_0.gguf"})
@AutoConfigureWebTestClient
class OfflineFirstStartTest {

    private static final String URL =
            "http://hub.hanul-test.invalid/HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/resolve/main/"
                    + "smollm2-135m-instruct-q8_0.gguf";

    @Autowired
    WebTestClient http;

    @Test
    void readinessNamesTheAddressTheCauseAndTheWayOut() {
        String detail = failedDetail();
        assertThat(detail)
                .contains(URL)
                .contains("hub.hanul-test.invalid could not be resolved")
                .contains("bin/hanul serve --model FILE")
                .contains("bin/hanul model pull")
                .contains("HF_ENDPOINT")
                .doesNotContain("null");
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void chatCompletionsReturnTheSameMessage() {
        String detail = failedDetail();
        byte[] body = http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .exchange().expectStatus().isEqualTo(503).expectBody().returnResult().getResponseBody();
        JsonNode error = JsonMapper.builder().build().readTree(body).get("error");
        assertThat(error.get("message").asString()).contains(detail);
    }

    @Test
    void theRestOfTheApiServes() {
        failedDetail();
        http.get().uri("/api/documents").accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk();
        http.get().uri("/v1/models").exchange().expectStatus().isOk();
    }

    /** Waits for the download to fail (at once: the name does not resolve) and returns the readiness detail. */
    private String failedDetail() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            byte[] body = http.get().uri("/actuator/health/readiness").exchange().returnResult(byte[].class)
                    .getResponseBodyContent();
            return body != null && new String(body).contains("\"FAILED\"");
        });
        byte[] body = http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.model.status").isEqualTo("DOWN")
                .returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body).at("/components/model/details/detail").asString();
    }
}
