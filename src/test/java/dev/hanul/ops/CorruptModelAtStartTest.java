package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.HanulApplication;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A corrupt model file at start (ReadinessWithoutModelTest covers a missing one): the service starts, stays up, is
 * not ready, and says why in /actuator/health and in one log line; started again on the same data directory and the
 * same file, it does the same instead of failing to start (what would be a crash loop under an orchestrator).
 */
@ExtendWith(OutputCaptureExtension.class)
class CorruptModelAtStartTest {

    @TempDir
    Path dir;

    @Test
    void aTruncatedGgufLeavesTheServiceUpUnreadyAndSayingWhy(CapturedOutput output) throws IOException {
        // a GGUF v3 header that promises 7 tensors and 3 metadata entries, and then ends
        Path model = dir.resolve("broken.gguf");
        Files.write(model, ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).put("GGUF".getBytes())
                .putInt(3).putLong(7).putLong(3).array());
        assertStartsUnready(model, output);
        assertStartsUnready(model, output);
    }

    @Test
    void aFileThatIsNoGgufLeavesTheServiceUpUnreadyAndSayingWhy(CapturedOutput output) throws IOException {
        Path model = dir.resolve("notes.gguf");
        Files.writeString(model, "These are meeting notes, not a model.\n".repeat(100));
        assertStartsUnready(model, output);
    }

    private void assertStartsUnready(Path model, CapturedOutput output) {
        int logged = output.getAll().length();
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(HanulApplication.class)
                .run("--server.port=0", "--hanul.data-dir=" + dir.resolve("data"), "--hanul.model.path=" + model)) {
            WebTestClient http = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + ((WebServerApplicationContext) service).getWebServer().getPort())
                    .responseTimeout(Duration.ofSeconds(30)).build();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> http.get().uri("/actuator/health")
                    .exchange().returnResult(String.class).getStatus().value() == 503);
            http.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.components.model.status").isEqualTo("DOWN")
                    .jsonPath("$.components.model.details.phase").isEqualTo("FAILED")
                    .jsonPath("$.components.model.details.detail").value(String.class, detail ->
                            assertThat(detail).contains(model.getFileName().toString()));
            http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
            http.get().uri("/api/documents").accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk();
            http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}").exchange()
                    .expectStatus().isEqualTo(503);
            assertThat(output.getAll().substring(logged)).containsPattern("(?m)ERROR.*(could not be loaded|is not "
                    + "loaded).*" + java.util.regex.Pattern.quote(model.getFileName().toString()));
        }
    }
}
