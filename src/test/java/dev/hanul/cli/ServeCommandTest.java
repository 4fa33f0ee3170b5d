package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hanul.engine.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/hanul serve} as a user runs it: the launcher script, a JVM of its own, the options users know. The
 * script runs the classes Maven compiled (HANUL_CLASSPATH), so the test needs no packaged jar.
 */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void servesOnThePortItIsGivenAndSaysSoInOneLine() throws Exception {
        Optional<Path> model = TestModels.find(TestModels.STORIES);
        assumeTrue(model.isPresent(), () -> TestModels.notFound(TestModels.STORIES));
        int port = freePort();
        Path data = dir.resolve("data");
        Process serve = hanul("serve", "--port", String.valueOf(port), "--model", model.get().toString(),
                "--data-dir", data.toString(), "--hanul.model.kv-cache=16MB", "--hanul.model.threads=1");
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest readiness = HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build();
            // A JVM of its own that starts Spring and maps the model: minutes on a loaded shared machine.
            try {
                Awaitility.await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
                        .failFast("bin/hanul serve ended", () -> !serve.isAlive())
                        .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                        .until(() -> http.send(readiness, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("no readiness on port " + port + "; the service's output ends with:\n"
                        + tail(dir.resolve("out.txt")) + tail(dir.resolve("err.txt")), e);
            }
            Path out = dir.resolve("out.txt");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(out).contains("Hanul is ready on"));
            assertThat(Files.readAllLines(out)).filteredOn(line -> line.startsWith("Hanul is ready on")).singleElement()
                    .asString()
                    .contains("http://localhost:" + port)
                    .contains("stories260K")
                    .contains("data in " + data.toAbsolutePath());
            assertThat(data.resolve("db")).isDirectory();
        } finally {
            serve.destroy(); // SIGTERM: the graceful shutdown
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
        assertThat(serve.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
    }

    @Test
    void anUnknownOptionStopsWithStatusTwoAndTheValidOptions() throws Exception {
        Process serve = hanul("serve", "--prot", "9000");
        assertThat(serve.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(dir.resolve("err.txt"));
        assertThat(serve.exitValue()).as(err).isEqualTo(2);
        assertThat(err).contains("'--prot'").contains("--port=PORT").contains("--host=ADDRESS")
                .contains("--model=FILE|NAME").contains("--data-dir=DIR").contains("--NAME=VALUE");
    }

    /** Starts bin/hanul on this JVM's JDK and the test class path; output goes to out.txt and err.txt. */
    private Process hanul(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of("bin/hanul").toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HANUL_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        builder.environment().remove("HANUL_DATA_DIR");
        return builder.start();
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
