package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelState.Phase;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Must-show 2: 32 concurrent streams while the alias moves from version A to B: no request fails, A drains (its
 * running streams finish) and unloads after its last stream, and its KV cache and weights are freed: the budget gets
 * them back, the file is no longer mapped, and the engine that held the KV blocks is garbage.
 */
class SwitchUnderLoadTest extends RegistryService {

    private static final int STREAMS = 32;
    private static final int REQUESTS_PER_STREAM = 3;
    private static final Path MAPS = Path.of("/proc/self/maps");
    /** Where the process's mappings can be read; elsewhere the mapping checks are left out. */
    private static final boolean LINUX = Files.isReadable(MAPS);

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theAliasMovesUnderLoadWithoutAFailedRequestAndTheOldVersionUnloadsAfterItsLastStream() throws Exception {
        Path fileA = copy(TestModels.TINY_RANDOM, "switch-a");
        String a = registerAndLoad("switch", fileA);
        String b = registerAndLoad("switch", copy(TestModels.STORIES, "switch-b"));
        expect(200, put("/api/admin/models/aliases/live", "{\"version\": \"%s\"}".formatted(a)));
        long usedBefore = registry.memoryUsed();
        VersionSnapshot before = registry.version(a);
        long freedExpected = before.weightBytes() + before.kvCacheBytes();
        assertThat(before.weightBytes()).isEqualTo(Files.size(fileA));
        assertThat(before.kvCacheBytes()).isPositive();
        if (LINUX) {
            assertThat(mappings(fileA)).as("A's file is mapped while it is loaded").isPositive();
        }
        WeakReference<InferenceEngine> engineA = engineOf(a);

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        try (ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < STREAMS; s++) {
                streams.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_STREAM; r++) {
                        stream(failures);
                        done.incrementAndGet();
                    }
                });
            }
            Awaitility.await("streams running on A").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5)).until(() -> registry.version(a).inFlight() >= STREAMS / 2);

            expect(200, put("/api/admin/models/aliases/live", "{\"version\": \"%s\"}".formatted(b)));
            VersionSnapshot draining = registry.version(a);
            assertThat(draining.state().phase()).isEqualTo(Phase.DRAINING);
            assertThat(draining.inFlight()).as("A's streams still running after the move").isPositive();

            // While A has a stream in flight it is never unloaded.
            while (done.get() < STREAMS * REQUESTS_PER_STREAM) {
                VersionSnapshot now = registry.version(a);
                if (now.inFlight() > 0) {
                    assertThat(now.state().phase()).isEqualTo(Phase.DRAINING);
                }
                Thread.sleep(2);
            }
        }

        assertThat(failures).as("failed requests").isEmpty();
        awaitPhase(a, Phase.UNLOADED);
        assertThat(registry.version(a).inFlight()).isZero();
        assertThat(registry.memoryUsed()).as("the budget got A's weights and KV cache back")
                .isEqualTo(usedBefore - freedExpected);
        if (LINUX) {
            assertThat(mappings(fileA)).as("A's file is unmapped").isZero();
        }
        Awaitility.await("A's engine and its KV blocks collected").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    System.gc();
                    return engineA.get() == null;
                });
        assertThat(registry.route("live", null).primary().id()).isEqualTo(b);
        assertThat(registry.route(b, null).primary().engine().stats().requestsSubmitted())
                .as("requests B served after the move").isPositive();
    }

    /** Kept weak, so the test itself does not keep A's engine (and its KV cache) alive. */
    private WeakReference<InferenceEngine> engineOf(String version) {
        return new WeakReference<>(registry.route(version, null).primary().engine());
    }

    /** One streamed completion through the alias; anything but a complete stream is a failure. */
    private void stream(Queue<String> failures) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/completions"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "live", "prompt": "Once upon a time", "max_tokens": 120, "stream": true}"""))
                .build();
        try {
            HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
            List<String> lines = response.body().filter(line -> line.startsWith("data:")).toList();
            if (response.statusCode() != 200) {
                failures.add("HTTP " + response.statusCode() + ": " + lines);
            } else if (lines.stream().anyMatch(line -> line.startsWith("data: {\"error\""))) {
                // The error object is the event itself; a token whose text is "error" is not one.
                failures.add("error event: " + lines);
            } else if (lines.isEmpty() || !lines.getLast().equals("data: [DONE]")) {
                failures.add("unfinished stream: " + lines);
            }
        } catch (IOException e) {
            failures.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
    }

    /** How many of this process's memory mappings map {@code file} (Linux only). */
    private static long mappings(Path file) throws IOException {
        String path = file.toRealPath().toString();
        try (Stream<String> lines = Files.lines(MAPS)) {
            return lines.filter(line -> line.endsWith(path)).count();
        }
    }
}
