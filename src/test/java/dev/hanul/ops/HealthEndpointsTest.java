package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What an operator or an orchestrator asks a running service: is it up, alive, ready, and its metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data/health")
@AutoConfigureWebTestClient
class HealthEndpointsTest {

    @Autowired
    WebTestClient http;

    @Test
    void healthIsUpAndShowsItsComponents() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.dataDirectory.status").isEqualTo("UP")
                .jsonPath("$.components.diskSpace.status").isEqualTo("UP");
    }

    @Test
    void livenessProbeAnswersUp() {
        http.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void readinessProbeIncludesTheDataDirectory() {
        String dataDir = Path.of("target/test-data/health").toAbsolutePath().normalize().toString();
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.dataDirectory.details.path").isEqualTo(dataDir);
    }

    @Test
    void prometheusScrapesJvmMetrics() {
        String metrics = http.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("# TYPE jvm_memory_used_bytes gauge");
    }
}
