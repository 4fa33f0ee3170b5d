package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What an operator or an orchestrator asks a running service: is it up, alive, ready, and its metrics. The served
 * model is stories260K, which loads in milliseconds.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/health", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
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
    void readinessProbeIncludesTheDataDirectoryTheIndexAndTheModel() {
        String dataDir = Path.of("target/test-data/health").toAbsolutePath().normalize().toString();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> http.get().uri("/actuator/health/readiness")
                .exchange().returnResult(String.class).getStatus().is2xxSuccessful());
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.dataDirectory.details.path").isEqualTo(dataDir)
                .jsonPath("$.components.chunkIndex.details.chunks").isNumber()
                .jsonPath("$.components.model.details.alias").isEqualTo("default")
                .jsonPath("$.components.model.details.id").isEqualTo("stories260K-f32@1")
                .jsonPath("$.components.model.details.engine.kvBlocksTotal").isNumber()
                // which backend auto selection chose (CUDA with a GPU, else the CPU) and why
                .jsonPath("$.components.model.details.backend").value(name -> assertThat((String) name)
                        .matches("(cpu|cuda) \\(.+\\)"))
                .jsonPath("$.components.model.details.backendReason").value(reason -> assertThat((String) reason)
                        .matches("(cpu: CUDA unavailable|cuda: a CUDA device).+"));
    }

    @Test
    void prometheusScrapesJvmMetrics() {
        String metrics = http.get().uri("/actuator/prometheus").accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("# TYPE jvm_memory_used_bytes gauge")
                // One set per loaded version, tagged with its model and version.
                .contains("hanul_engine_requests_running{model=\"stories260K-f32\",version=\"1\"} ",
                        "hanul_engine_kv_cache_usage_ratio{model=\"stories260K-f32\",version=\"1\"} ",
                        "hanul_engine_generation_tokens_total{model=\"stories260K-f32\",version=\"1\"} ");
    }
}
