package dev.hanul.ops;

import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A service whose model cannot be loaded stays up, says why, and is not ready; requests for the model get a 503. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/no-model", "hanul.model.path=target/no-such-model.gguf"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ReadinessWithoutModelTest {

    @Autowired
    WebTestClient http;

    @Test
    void readinessIsDownAndHealthSaysWhy() {
        String missing = Path.of("target/no-such-model.gguf").toAbsolutePath().toString();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.get().uri("/actuator/health")
                .exchange().returnResult(String.class).getStatus().value() == 503);
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.components.model.status").isEqualTo("DOWN")
                .jsonPath("$.components.model.details.phase").isEqualTo("FAILED")
                .jsonPath("$.components.model.details.detail").value(detail ->
                        org.assertj.core.api.Assertions.assertThat((String) detail).contains(missing));
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void theApiThatNeedsNoModelStillServes() {
        http.get().uri("/api/documents").accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk();
    }
}
