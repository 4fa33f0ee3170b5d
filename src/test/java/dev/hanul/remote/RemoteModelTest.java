package dev.hanul.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hanul.HanulApplication;
import dev.hanul.chat.OfficeDocuments;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelState;
import dev.hanul.inference.ServedTestModel;
import dev.hanul.registry.ModelRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A model on a remote OpenAI-compatible server, routed by the registry beside the model this service runs itself.
 * The remote server is a second Hanul, started here on a random port serving the same SmolLM2 file: a conforming
 * OpenAI-compatible server that runs here (vLLM and TGI need GPUs and Python). Greedy answers must then be the same
 * through the remote version as through the local engine, over the OpenAI API, streaming included; and the request
 * must be counted by the same interaction log and metrics. Two small HTTP servers written here stand for remote
 * servers in the states a test cannot bring a real one into: one that answers 429 with Retry-After, and one that goes
 * away after the version was connected.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/remote-front"})
@AutoConfigureWebTestClient(timeout = "PT120S")
// Closed after the class: its context holds this side's model and the remote versions, used by no other test.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RemoteModelTest {

    static final String SERVED = "SmolLM2-135M-Instruct.Q4_1";

    static ConfigurableApplicationContext backend;
    static HttpServer busy;
    static HttpServer gone;

    @Autowired
    WebTestClient http;

    @Autowired
    ModelRegistry registry;

    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void remotes(DynamicPropertyRegistry properties) throws IOException {
        Path model = TestModels.require(TestModels.SMOLLM2).toAbsolutePath();
        FileSystemUtils.deleteRecursively(Path.of("target/test-data/remote-front"));
        FileSystemUtils.deleteRecursively(Path.of("target/test-data/remote-backend"));
        backend = new SpringApplicationBuilder(HanulApplication.class).properties(Map.of(
                "server.port", "0", "hanul.data-dir", "target/test-data/remote-backend",
                "hanul.model.path", model.toString())).run();
        ModelRegistry backendRegistry = backend.getBean(ModelRegistry.class);
        Awaitility.await("the remote server's model").atMost(Duration.ofMinutes(1)).until(() ->
                backendRegistry.defaultTargets().stream().allMatch(v -> backendRegistry.state(v).phase()
                        == ModelState.Phase.READY));
        String backendUrl = "http://localhost:" + backend.getEnvironment().getProperty("local.server.port");
        busy = server(exchange -> reply(exchange, 429, Map.of("Retry-After", "7"),
                "{\"error\":{\"message\":\"the queue is full\",\"type\":\"overloaded\"}}"));
        gone = server(exchange -> reply(exchange, 500, Map.of(), "{}"));

        properties.add("hanul.remote.models.remote-smol.base-url", () -> backendUrl + "/v1");
        properties.add("hanul.remote.models.remote-smol.model", () -> SERVED);
        properties.add("hanul.remote.models.remote-smol.tokenizer", model::toString);
        properties.add("hanul.remote.models.remote-busy.base-url", () -> address(busy));
        properties.add("hanul.remote.models.remote-busy.tokenizer", model::toString);
        properties.add("hanul.remote.models.remote-gone.base-url", () -> address(gone));
        properties.add("hanul.remote.models.remote-gone.tokenizer", model::toString);
        properties.add("hanul.remote.models.remote-down.base-url", () -> "http://localhost:" + closedPort());
        properties.add("hanul.remote.models.remote-down.tokenizer", model::toString);
    }

    @AfterAll
    static void stopServers() {
        if (backend != null) {
            backend.close();
        }
        if (busy != null) {
            busy.stop(0);
        }
        if (gone != null) {
            gone.stop(0);
        }
    }

    /** A server that lists one model and answers completions with {@code completions}. */
    static HttpServer server(Handler completions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v1/models")) {
                reply(exchange, 200, Map.of(), "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"}]}");
            } else if (path.equals("/v1/completions")) {
                completions.handle(exchange);
            } else {
                reply(exchange, 404, Map.of(), "{\"error\":{\"message\":\"not found\"}}");
            }
        });
        server.start();
        return server;
    }

    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        exchange.getRequestBody().readAllBytes();
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    static String address(HttpServer server) {
        return "http://localhost:" + server.getAddress().getPort();
    }

    static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void remotesConnected() {
        Awaitility.await("the remote versions to connect or fail").atMost(Duration.ofSeconds(60)).until(() ->
                List.of("remote-smol@1", "remote-busy@1", "remote-gone@1", "remote-down@1").stream()
                        .map(registry::state).noneMatch(state -> state.phase() == ModelState.Phase.LOADING
                                || state.phase() == ModelState.Phase.REGISTERED));
    }

    JsonNode chat(String model, boolean stream) {
        return json.readTree(http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody(model, stream)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    static Map<String, Object> chatBody(String model, boolean stream) {
        var body = new java.util.LinkedHashMap<String, Object>(Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "What is the capital of France?")),
                "temperature", 0, "max_tokens", 24));
        if (stream) {
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
        }
        return body;
    }

    @Test
    void theRemoteVersionIsConnectedAndListed() {
        ModelState state = registry.state("remote-smol@1");
        assertThat(state.phase()).isEqualTo(ModelState.Phase.READY);
        assertThat(state.detail()).contains(SERVED).contains(backend.getEnvironment().getProperty("local.server.port"))
                .contains("(matches the server's /tokenize)");
        JsonNode models = json.readTree(http.get().uri("/v1/models").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(models.get("data").valueStream().map(m -> m.get("id").asString())).contains("remote-smol");
    }

    @Test
    void aRemoteVersionAnswersAsTheLocalEngineDoes() {
        JsonNode local = chat(SERVED, false);
        JsonNode remote = chat("remote-smol", false);

        String answer = remote.at("/choices/0/message/content").asString();
        assertThat(answer).contains("Paris").isEqualTo(local.at("/choices/0/message/content").asString());
        assertThat(remote.get("model").asString()).isEqualTo("remote-smol");
        assertThat(remote.at("/choices/0/finish_reason").asString())
                .isEqualTo(local.at("/choices/0/finish_reason").asString());
        assertThat(remote.at("/usage/prompt_tokens").asInt()).isEqualTo(local.at("/usage/prompt_tokens").asInt());
        assertThat(remote.at("/usage/completion_tokens").asInt())
                .isEqualTo(local.at("/usage/completion_tokens").asInt());
    }

    @Test
    void streamingRelaysTheRemoteTokensAsServerSentEvents() {
        String expected = chat(SERVED, false).at("/choices/0/message/content").asString();
        String stream = http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(chatBody("remote-smol", true)).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        var text = new StringBuilder();
        var data = new ArrayList<String>();
        for (String line : stream.split("\n")) {
            if (line.startsWith("data:")) {
                data.add(line.substring(5).strip());
            }
        }
        assertThat(data.getLast()).isEqualTo("[DONE]");
        int contentChunks = 0;
        JsonNode usage = null;
        for (String chunk : data.subList(0, data.size() - 1)) {
            JsonNode node = json.readTree(chunk);
            if (node.get("choices").isEmpty()) {
                usage = node.get("usage");
                continue;
            }
            String delta = node.at("/choices/0/delta/content").asString("");
            if (!delta.isEmpty()) {
                contentChunks++;
                text.append(delta);
            }
        }
        assertThat(text.toString()).isEqualTo(expected);
        assertThat(contentChunks).as("tokens arrive one by one, not as one block").isGreaterThan(1);
        assertThat(usage).isNotNull();
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 24);
    }

    @Test
    void ragChatRunsOnTheRemoteVersionWithTheSameSourcesAndAnswer() {
        String tenant = "remote-rag";
        String job = json.readTree(http.post().uri("/api/ingest/text").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(OfficeDocuments.JSON).exchange()
                .expectStatus().isAccepted().expectBody(String.class).returnResult().getResponseBody())
                .get("jobId").asString();
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> json.readTree(http.get()
                .uri("/api/ingest/jobs/" + job).header("X-Tenant-Id", tenant).exchange().expectBody(String.class)
                .returnResult().getResponseBody()).hasNonNull("finishedAt"));

        JsonNode local = rag(SERVED, tenant);
        JsonNode remote = rag("remote-smol", tenant);

        assertThat(remote.at("/citations/0/documentId").asString()).isEqualTo("cafeteria");
        assertThat(remote.get("citations")).isEqualTo(local.get("citations"));
        assertThat(remote.at("/choices/0/message/content").asString()).isNotEmpty()
                .isEqualTo(local.at("/choices/0/message/content").asString());
        assertThat(remote.at("/usage/prompt_tokens").asInt()).isEqualTo(local.at("/usage/prompt_tokens").asInt());
    }

    JsonNode rag(String model, String tenant) {
        var body = new java.util.LinkedHashMap<String, Object>(chatBody(model, false));
        body.put("messages", List.of(Map.of("role", "user", "content", OfficeDocuments.QUESTION)));
        body.put("rag", Map.of());
        return json.readTree(http.post().uri("/v1/chat/completions").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    @Test
    void theInteractionLogAndMetricsCountRemoteRequestsAsAnyOther() {
        chat("remote-smol", false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode page = json.readTree(http.get().uri("/api/interactions?size=100").exchange().expectStatus()
                    .isOk().expectBody(String.class).returnResult().getResponseBody());
            assertThat(page.get("items").valueStream().map(item -> item.path("modelVersion").asString()))
                    .contains("remote-smol@1");
        });
        String metrics = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics.lines().filter(line -> line.startsWith("gen_ai_client_token_usage")
                && line.contains("remote-smol@1"))).isNotEmpty();
    }

    @Test
    void anAliasSplitsTrafficBetweenTheLocalEngineAndTheRemoteServer() {
        http.put().uri("/api/admin/models/aliases/mixed").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("targets", List.of(Map.of("version", SERVED + "@1", "weight", 50),
                        Map.of("version", "remote-smol@1", "weight", 50))))
                .exchange().expectStatus().isOk();
        String expected = chat(SERVED, false).at("/choices/0/message/content").asString();
        var versions = new java.util.HashSet<String>();
        for (int user = 0; user < 12; user++) {
            var body = new java.util.LinkedHashMap<String, Object>(chatBody("mixed", false));
            body.put("user", "user-" + user);
            JsonNode answer = json.readTree(http.post().uri("/v1/chat/completions")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());
            assertThat(answer.at("/choices/0/message/content").asString()).isEqualTo(expected);
            versions.add(registry.route("mixed", "user-" + user).primary().id());
        }
        assertThat(versions).containsExactlyInAnyOrder(SERVED + "@1", "remote-smol@1");
    }

    @Test
    void whatOnlyTheLocalEngineDoesIsRefusedForARemoteVersion() {
        var body = new java.util.LinkedHashMap<String, Object>(chatBody("remote-smol", false));
        body.put("logprobs", true);
        String refused = http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isBadRequest().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(refused).contains("log probabilities");
    }

    @Test
    void anOverloadedRemoteIs429WithItsRetryAfter() {
        EntityExchangeResult<String> result = http.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(chatBody("remote-busy", false)).exchange()
                .expectStatus().isEqualTo(429).expectBody(String.class).returnResult();
        assertThat(result.getResponseHeaders().getFirst("Retry-After")).isEqualTo("7");
        assertThat(result.getResponseBody()).contains("the queue is full").contains("remote-busy@1");
    }

    @Test
    void aRemoteThatCannotBeReachedIsNotReadyWithTheReason() {
        assertThat(registry.state("remote-down@1").phase()).isEqualTo(ModelState.Phase.FAILED);
        assertThat(registry.state("remote-down@1").detail()).contains("cannot be reached");
        String body = http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody("remote-down", false)).exchange().expectStatus().isEqualTo(503)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("cannot be reached");
    }

    @Test
    void aRemoteThatWentAwayFailsTheRequestWithTheReason() {
        assertThat(registry.state("remote-gone@1").phase()).isEqualTo(ModelState.Phase.READY);
        gone.stop(0);
        String body = http.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody("remote-gone", false)).exchange().expectStatus().isEqualTo(503)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("cannot be reached");
    }
}
