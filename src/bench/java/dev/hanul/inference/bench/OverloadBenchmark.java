package dev.hanul.inference.bench;

import dev.hanul.HanulApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Overload on loopback: the service runs in this JVM with a small engine (capacity = running + waiting requests),
 * and five times that many clients send streaming chat requests back to back for a fixed time per round. Requests
 * beyond capacity must be refused at once with 429 or 503 and a Retry-After header; a probe asks for liveness and
 * readiness every 50 ms throughout and records how long each answer took; after each round the engine must hold no KV
 * blocks, and the heap after a full GC is recorded, so that a growth trend across rounds shows.
 */
public final class OverloadBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration PROBE_EVERY = Duration.ofMillis(50);

    /** What one round saw. */
    record Round(int completed, int shed, int shedWithoutRetryAfter, int failed, long[] healthNanos, long kvBlocksUsed,
                 long heapAfterGcBytes, List<String> failures) {
    }

    private OverloadBenchmark() {
    }

    /** @return whether every check held */
    public static boolean run(Path model, int running, int waiting, int factor, Duration roundLength, int rounds,
            int maxTokens, int threads, boolean managementPort, Path workDir, PrintWriter out)
            throws IOException, InterruptedException {
        int capacity = running + waiting;
        int clients = factor * capacity;
        FileSystemUtils.deleteRecursively(workDir);
        try (ConfigurableApplicationContext service = start(model, running, waiting, threads, managementPort,
                workDir)) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            URI base = URI.create("http://127.0.0.1:" + port);
            URI management = managementPort
                    ? URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.management.port"))
                    : base;
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            awaitReady(http, management);
            out.printf("Overload on %s, %s, %d cores: engine capacity %d (%d running + %d waiting), %d clients (%dx), "
                            + "%d rounds of %d s, %d tokens per request, model %s; probes on %s%n%n", base,
                    LocalDate.now(), Runtime.getRuntime().availableProcessors(), capacity, running, waiting, clients,
                    factor, rounds, roundLength.toSeconds(), maxTokens, model.getFileName(),
                    managementPort ? "the management port " + management.getPort() : "the API's port");
            long baseline = heapAfterGc();
            out.printf("Heap after GC before the first round: %.1f MB%n", baseline / 1e6);
            long[] idle = idleHealth(management);
            out.printf("Health with no load, for reference (%d probes in 5 s): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                            + "%n%n", idle.length, percentile(idle, 0.5) / 1e6, percentile(idle, 0.99) / 1e6,
                    idle.length == 0 ? Double.NaN : idle[idle.length - 1] / 1e6);
            out.println("| Round | Completed | Shed (429/503) | Shed without Retry-After | Other failures | "
                    + "Health probes | Health p50 ms | Health p99 ms | Health max ms | KV blocks in use after | "
                    + "Heap after GC MB |");
            out.println("|------:|----------:|---------------:|-------------------------:|---------------:|"
                    + "--------------:|--------------:|--------------:|--------------:|-----------------------:|"
                    + "-----------------:|");
            List<Round> results = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Round round = round(http, base, management, clients, roundLength, maxTokens);
                results.add(round);
                long[] health = round.healthNanos().clone();
                Arrays.sort(health);
                out.printf("| %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %d | %.1f |%n", r, round.completed(),
                        round.shed(), round.shedWithoutRetryAfter(), round.failed(), health.length,
                        percentile(health, 0.5) / 1e6, percentile(health, 0.99) / 1e6,
                        health.length == 0 ? Double.NaN : health[health.length - 1] / 1e6, round.kvBlocksUsed(),
                        round.heapAfterGcBytes() / 1e6);
                round.failures().stream().limit(3).forEach(failure -> out.println("  failure: " + failure));
                out.flush();
            }
            return verdict(results, out);
        } finally {
            FileSystemUtils.deleteRecursively(workDir);
        }
    }

    private static Round round(HttpClient http, URI base, URI management, int clients, Duration length,
            int maxTokens) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong completed = new AtomicLong();
        AtomicLong shed = new AtomicLong();
        AtomicLong shedWithoutRetryAfter = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> health = new ConcurrentLinkedQueue<>();
        String body = """
                {"messages": [{"role": "user", "content": "Tell me a story about a lighthouse."}],
                 "max_tokens": %d, "stream": true}""".formatted(maxTokens);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            // the probe on a platform thread of its own, as an orchestrator's kubelet is a process of its own
            // and with a client of its own, so that its requests never wait behind the load's in the client
            HttpClient probeClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Thread probe = Thread.ofPlatform().name("health-probe")
                    .start(() -> probe(probeClient, management, stop, health));
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        send(http, base, body, completed, shed, shedWithoutRetryAfter, failed, failures);
                    }
                });
            }
            Thread.sleep(length.toMillis());
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.MINUTES);
            probe.join();
        }
        long kvBlocks = awaitIdle(http, management);
        awaitInteractionsWritten(http, management);
        return new Round((int) completed.get(), (int) shed.get(), (int) shedWithoutRetryAfter.get(),
                (int) failed.get(), health.stream().mapToLong(Long::longValue).toArray(), kvBlocks, heapAfterGc(),
                List.copyOf(failures));
    }

    /** The same probes for 5 s with nothing else running: what this machine gives when the service is idle. */
    private static long[] idleHealth(URI base) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
        Thread probe = Thread.ofPlatform().name("health-probe-idle").start(() -> probe(client, base, stop, times));
        Thread.sleep(5000);
        stop.set(true);
        probe.join();
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void send(HttpClient http, URI base, String body, AtomicLong completed, AtomicLong shed,
            AtomicLong shedWithoutRetryAfter, AtomicLong failed, ConcurrentLinkedQueue<String> failures) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream stream = response.body()) {
                byte[] content = stream.readAllBytes();
                int status = response.statusCode();
                if (status == 200 && new String(content).contains("data: [DONE]")) {
                    completed.incrementAndGet();
                } else if (status == 429 || status == 503) {
                    shed.incrementAndGet();
                    if (response.headers().firstValue("Retry-After").isEmpty()) {
                        shedWithoutRetryAfter.incrementAndGet();
                    }
                    // a client that ignores Retry-After and comes back almost at once: the harshest load
                    Thread.sleep(20);
                } else {
                    failed.incrementAndGet();
                    failures.add(status + " " + new String(content).strip());
                }
            }
        } catch (IOException e) {
            failed.incrementAndGet();
            failures.add(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void probe(HttpClient http, URI base, AtomicBoolean stop, ConcurrentLinkedQueue<Long> times) {
        List<URI> probes = List.of(base.resolve("/actuator/health/liveness"), base.resolve("/actuator/health/readiness"));
        int next = 0;
        while (!stop.get()) {
            URI uri = probes.get(next++ % probes.size());
            long started = System.nanoTime();
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    times.add(System.nanoTime() - started);
                } else {
                    times.add(Long.MAX_VALUE / 2); // a probe that failed counts as far too slow
                }
                Thread.sleep(PROBE_EVERY.toMillis());
            } catch (IOException e) {
                times.add(Long.MAX_VALUE / 2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until the engine has neither running nor waiting requests, and returns the KV blocks it still holds. */
    private static long awaitIdle(HttpClient http, URI base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonNode engine = null;
        while (System.nanoTime() < deadline) {
            engine = engineStats(http, base);
            if (engine != null && engine.get("running").asInt() == 0 && engine.get("waiting").asInt() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        return engine == null ? -1 : engine.get("kvBlocksUsed").asLong();
    }

    /** The interaction log's queue drained, so that the heap measured next holds no records waiting for the database. */
    private static void awaitInteractionsWritten(HttpClient http, URI base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        var queued = java.util.regex.Pattern.compile("(?m)^hanul_interactions_queued\\S* (\\d+)");
        while (System.nanoTime() < deadline) {
            try {
                String metrics = http.send(HttpRequest.newBuilder(base.resolve("/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                var matcher = queued.matcher(metrics);
                if (!matcher.find() || Long.parseLong(matcher.group(1)) == 0) {
                    return;
                }
            } catch (IOException e) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode engineStats(HttpClient http, URI base) {
        try {
            String health = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode engine = JSON.readTree(health).at("/components/model/details/engine");
            return engine.isMissingNode() ? null : engine;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean verdict(List<Round> rounds, PrintWriter out) {
        long worstHealth = rounds.stream().flatMapToLong(r -> Arrays.stream(r.healthNanos())).max().orElse(0);
        boolean healthFast = worstHealth < 100_000_000L;
        boolean allShedTold = rounds.stream().allMatch(r -> r.shedWithoutRetryAfter() == 0);
        boolean shedSome = rounds.stream().allMatch(r -> r.shed() > 0);
        boolean noFailures = rounds.stream().allMatch(r -> r.failed() == 0);
        boolean kvFree = rounds.stream().allMatch(r -> r.kvBlocksUsed() == 0);
        double[] heap = rounds.stream().mapToDouble(r -> r.heapAfterGcBytes() / 1e6).toArray();
        double slope = slope(heap);
        // After the first round (JIT, caches filling) the heap after GC must stay flat: under 1 MB per round.
        double laterSlope = heap.length > 2 ? slope(Arrays.copyOfRange(heap, 1, heap.length)) : slope;
        boolean heapFlat = laterSlope < 1.0;
        out.printf("%nHealth max %.1f ms (< 100: %s); every refusal with Retry-After: %s; requests shed in every "
                        + "round: %s; other failures: %s; KV blocks in use after every round 0: %s; heap after GC "
                        + "%.2f MB/round over all rounds, %.2f MB/round after the first (< 1: %s)%n",
                worstHealth / 1e6, healthFast, allShedTold, shedSome, noFailures ? "none" : "SOME", kvFree, slope,
                laterSlope, heapFlat);
        out.flush();
        return healthFast && allShedTold && shedSome && noFailures && kvFree && heapFlat;
    }

    /** Least-squares slope of the values against their index. */
    private static double slope(double[] values) {
        int n = values.length;
        if (n < 2) {
            return 0;
        }
        double meanX = (n - 1) / 2.0;
        double meanY = Arrays.stream(values).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - meanX) * (values[i] - meanY);
            den += (i - meanX) * (i - meanX);
        }
        return num / den;
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void awaitReady(HttpClient http, URI base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The service did not become ready within 5 minutes; see the log above");
    }

    private static ConfigurableApplicationContext start(Path model, int running, int waiting, int threads,
            boolean managementPort, Path workDir) {
        List<String> args = new ArrayList<>(List.of(
                "--hanul.data-dir=" + workDir.toAbsolutePath(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--hanul.model.path=" + model.toAbsolutePath(),
                "--hanul.model.offline=true",
                "--hanul.model.threads=" + threads,
                "--hanul.model.max-running-sequences=" + running,
                "--hanul.model.max-waiting=" + waiting,
                "--hanul.model.kv-cache=64MB",
                // the benchmark measures the engine's shedding, not per-key rate limits, over loopback only
                "--hanul.security.enabled=false",
                "--management.endpoint.health.show-details=always",
                "--hanul.embedding.model=all-MiniLM-L6-v2",
                // interaction records are written (and must drain between rounds), but not embedded for scores
                "--hanul.monitoring.embedding-scores=false",
                "--logging.level.root=warn"));
        if (managementPort) {
            args.add("--management.server.port=0"); // a free port of its own
            args.add("--management.server.address=127.0.0.1");
        }
        return new SpringApplication(HanulApplication.class).run(args.toArray(String[]::new));
    }
}
