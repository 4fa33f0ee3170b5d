package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelState;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with the registry, serving stories260K as its configured model, for the rollout tests. The test
 * classes share this context (same settings). Each test registers its own versions from its own copies of the test
 * model files, so a file's mappings (in /proc/self/maps) belong to exactly one version.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=" + RegistryService.DATA, "hanul.registry.drain-grace=300ms"})
abstract class RegistryService {

    static final String DATA = "target/test-data/registry";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // A fresh registry for each test run: versions and aliases of an earlier run would be loaded again.
        deleteTree(Path.of(DATA));
    }

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void needsTheSecondTestModel() {
        TestModels.require(TestModels.TINY_RANDOM);
    }

    /** A copy of a test model under its own name. */
    static Path copy(String testModel, String name) {
        Path target = Path.of(DATA + "-files", name + ".gguf").toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Files.copy(TestModels.require(testModel), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Registers a version from a local file, loads it and waits until it is READY; returns its id. */
    String registerAndLoad(String model, Path file) {
        JsonNode version = expect(201, post("/api/admin/models/" + model + "/versions",
                "{\"source\": {\"path\": \"%s\"}}".formatted(file)));
        String id = version.get("id").asString();
        expect(202, post("/api/admin/models/" + model + "/versions/" + version.get("version").asInt() + "/load",
                ""));
        awaitPhase(id, ModelState.Phase.READY);
        return id;
    }

    void awaitPhase(String id, ModelState.Phase phase) {
        Awaitility.await(id + " " + phase).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.state(id).phase(), p -> p == phase || p == ModelState.Phase.FAILED);
        assertThat(registry.state(id).phase()).as(registry.state(id).detail()).isEqualTo(phase);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> put(String path, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofMinutes(2));
        return headers.length == 0 ? request : request.headers(headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response.body());
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
