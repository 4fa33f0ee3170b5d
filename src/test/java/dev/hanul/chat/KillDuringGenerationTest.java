package dev.hanul.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.HanulApplication;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * kill -9 while answers are generated and interaction records written, for real, as KillDuringIngestionTest does for
 * documents: the service runs in a child JVM serving stories260K, several clients hold conversations with it, and it
 * is killed while generations run and while the interaction log's writer still has records to write. Started again on
 * the same data directory, every turn a client received is in its conversation word for word, a turn it did not
 * receive is there whole or not at all, and every answer a client received has its interaction record, whole.
 */
class KillDuringGenerationTest {

    private static final String TENANT = "durable";
    private static final int CLIENTS = 6;
    private static final Pattern QUEUED = Pattern.compile("(?m)^hanul_interactions_queued\\S* (\\d+\\.\\d+)");

    @TempDir
    Path dataDir;

    /** A turn the client received: its question, the answer and the interaction record's id. */
    record Turn(String question, String answer, String interactionId) {
    }

    @Test
    void receivedTurnsAndTheirRecordsSurviveAKill() throws Exception {
        Path model = TestModels.require(TestModels.STORIES);
        int port = freePort();
        Process child = startChild(port, model);
        Map<String, List<Turn>> received = new ConcurrentHashMap<>();
        double queuedAtKill;
        try {
            WebTestClient http = client(port);
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> http.get().uri("/actuator/health/readiness").exchange()
                            .returnResult(String.class).getStatus().is2xxSuccessful());
            queuedAtKill = talkUntilKilled(port, child, received);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }
        assertThat(received.values().stream().mapToInt(List::size).sum()).as("turns received before the kill")
                .isGreaterThanOrEqualTo(CLIENTS * 2);
        assertThat(queuedAtKill).as("interaction records still to be written when the kill landed")
                .isGreaterThan(0);

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(HanulApplication.class)
                .run("--server.port=0", "--hanul.data-dir=" + dataDir, "--hanul.model.path=" + model)) {
            WebTestClient http = client(((WebServerApplicationContext) restarted).getWebServer().getPort());
            for (var conversation : received.entrySet()) {
                assertConversation(http, conversation.getKey(), conversation.getValue());
            }
            List<Turn> all = received.values().stream().flatMap(List::stream).toList();
            Awaitility.await("every received answer's interaction record").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> all.stream().allMatch(turn -> interactionStatus(http, turn) == 200));
            for (Turn turn : all) {
                Map<String, Object> record = interaction(http, turn.interactionId());
                assertThat(record.get("question")).isEqualTo(turn.question());
                assertThat(record.get("response")).isEqualTo(turn.answer());
                assertThat(record.get("finishReason")).isIn("stop", "length");
            }
        }
        assertThat(Files.list(dataDir.resolve("journal").resolve("interactions")).count())
                .as("journal segments left after a clean stop").isZero();
    }

    /**
     * Each client holds one conversation, turn after turn. Once every client has two turns and the interaction log
     * has records waiting, the child is killed with generations in flight.
     *
     * @return how many interaction records were queued, as the child's metrics said just before the kill
     */
    private double talkUntilKilled(int port, Process child, Map<String, List<Turn>> received) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean killed = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            String conversation = "conversation-" + c;
            received.put(conversation, new CopyOnWriteArrayList<>());
            clients.submit(() -> {
                for (int turn = 0; !killed.get(); turn++) {
                    String question = "Tell me story %d of %s.".formatted(turn, conversation);
                    try {
                        HttpResponse<String> response = http.send(chat(port, conversation, question),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            Map<String, Object> body = json(response.body());
                            received.get(conversation).add(new Turn(question, (String) body.get("answer"),
                                    (String) body.get("interactionId")));
                        } else if (!killed.get()) {
                            failures.add(new AssertionError(response.statusCode() + " " + response.body()));
                        }
                    } catch (IOException e) {
                        if (!killed.get()) {
                            failures.add(e);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        double queued = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && failures.isEmpty()) {
            queued = queuedRecords(http, port);
            if (queued > 0 && received.values().stream().allMatch(turns -> turns.size() >= 2)) {
                break;
            }
            Thread.sleep(50);
        }
        killed.set(true);
        child.destroyForcibly();
        clients.shutdown();
        assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        assertThat(failures).as("requests before the kill").isEmpty();
        return queued;
    }

    private static HttpRequest chat(int port, String conversation, String question) {
        String body = """
                {"conversationId": "%s", "messages": [{"role": "user", "content": "%s"}],
                 "retrieval": {"enabled": false}, "sampling": {"temperature": 0.8, "seed": 7, "maxTokens": 120},
                 "stream": false}""".formatted(conversation, question);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/chat"))
                .header("Content-Type", "application/json").header("X-Tenant-Id", TENANT)
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double queuedRecords(HttpClient http, int port) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = QUEUED.matcher(metrics);
            return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /**
     * The turns the client received come first, word for word; after them at most the one turn that was in flight,
     * whole (its question and an answer), never half of one.
     */
    private static void assertConversation(WebTestClient http, String conversationId, List<Turn> turns) {
        Map<String, Object> stored = http.get().uri("/api/conversations/{id}", conversationId)
                .header("X-Tenant-Id", TENANT).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) stored.get("messages");
        assertThat(messages.size() % 2).as("%s holds whole turns", conversationId).isZero();
        assertThat(messages.size() / 2).as("%s: received turns, and at most the one in flight", conversationId)
                .isBetween(turns.size(), turns.size() + 1);
        for (int i = 0; i < messages.size() / 2; i++) {
            assertThat(messages.get(2 * i).get("role")).isEqualTo("user");
            assertThat(messages.get(2 * i + 1).get("role")).isEqualTo("assistant");
            if (i < turns.size()) {
                assertThat(messages.get(2 * i).get("content")).isEqualTo(turns.get(i).question());
                assertThat(messages.get(2 * i + 1).get("content")).isEqualTo(turns.get(i).answer());
            }
        }
    }

    private static int interactionStatus(WebTestClient http, Turn turn) {
        return http.get().uri("/api/interactions/{id}", turn.interactionId()).header("X-Tenant-Id", TENANT)
                .exchange().returnResult(String.class).getStatus().value();
    }

    private static Map<String, Object> interaction(WebTestClient http, String id) {
        return http.get().uri("/api/interactions/{id}", id).header("X-Tenant-Id", TENANT).exchange()
                .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    private static Map<String, Object> json(String body) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(body,
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() { });
    }

    private Process startChild(int port, Path model) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                HanulApplication.class.getName(),
                "--server.port=" + port, "--hanul.data-dir=" + dataDir, "--hanul.model.path=" + model));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-child.log").toFile())
                .start();
    }

    private static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
