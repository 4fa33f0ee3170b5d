package dev.hanul.cli;

import dev.hanul.HanulApplication;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hanul bench monitoring}: what monitoring costs the serving path. Two services run in this one JVM on the
 * same model file, one with monitoring on (metrics, interaction log, quality scores, tracing at Spring Boot's default
 * sampling) and one with it off, and the same load goes to each in turn, alternating which goes first.
 *
 * <p>Why one JVM: on this kind of machine a JVM start sometimes runs the engine's kernels at half speed for its whole
 * life, so two processes (or two starts of one) differ by up to 2x for reasons that have nothing to do with
 * monitoring. Two services in one JVM run the same compiled kernels, so their ratio isolates what monitoring adds.
 * Quality scores are computed off the request path; what is still queued when a round ends is written before the next
 * round starts, and that drain time is reported, since it is work the round caused.
 */
@Command(name = "monitoring", mixinStandardHelpOptions = true,
        description = "Output tokens/s and TTFT p50 with monitoring on and off, two services in this JVM on the same "
                + "model, loaded in turns; prints each round and the on/off ratios of the medians (targets: tokens/s "
                + "within 5%%, TTFT p50 within 10%%).")
final class MonitoringBenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "A GGUF model file.")
    Path model;

    @Option(names = "--rounds", defaultValue = "4", description = "Rounds, each loading both (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--concurrency", defaultValue = "8",
            description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "32", description = "Requests per measurement (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "64",
            description = "Tokens each request asks for (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--threads", defaultValue = "2", description = "Engine threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--embedding", paramLabel = "FILE",
            description = "The embedding model (ONNX) the quality scores use (default: the converted "
                    + "multilingual-e5 under models/offline when it is there, else the bundled all-MiniLM-L6-v2).")
    Path embedding;

    @Option(names = "--work-dir", defaultValue = "data/bench/monitoring",
            description = "The two services' data directories; emptied first and removed after (default: "
                    + "${DEFAULT-VALUE}).")
    Path workDir;

    @Spec
    CommandSpec spec;

    private static final String PROMPT = "Write a short story about a lighthouse keeper and a storm.";

    /** One load measurement. */
    private record Measurement(String mode, int round, double tokensPerSecond, double ttftP50Millis,
                               double drainSeconds, long failed) {
    }

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || concurrency < 1 || requests < 1 || maxTokens < 1 || threads < 1) {
            throw new IllegalArgumentException("--rounds, --concurrency, --requests, --max-tokens and --threads must "
                    + "be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        FileSystemUtils.deleteRecursively(workDir);
        try (ConfigurableApplicationContext on = start("on", List.of());
             ConfigurableApplicationContext off = start("off", List.of("--hanul.monitoring.enabled=false",
                     "--management.tracing.enabled=false"))) {
            out.printf("# Monitoring overhead, %s, %d cores: %s, %d concurrent, %d requests of %d tokens, %d rounds, "
                            + "two services in one JVM%n%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                    model.getFileName(), concurrency, requests, maxTokens, rounds);
            // warm-up: JIT, the prefix cache, the scorer's model
            measure(on, "on", 0);
            measure(off, "off", 0);
            out.println("| round | mode | output tokens/s | TTFT p50 ms | scores drained after, s | failed |");
            out.println("|---|---|---|---|---|---|");
            List<Measurement> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                // alternate which goes first, so that a drift of the machine's speed hits both alike
                boolean onFirst = round % 2 == 1;
                for (ConfigurableApplicationContext service : onFirst ? List.of(on, off) : List.of(off, on)) {
                    Measurement m = measure(service, service == on ? "on" : "off", round);
                    results.add(m);
                    out.printf("| %d | %s | %.1f | %.1f | %.1f | %d |%n", round, m.mode(), m.tokensPerSecond(),
                            m.ttftP50Millis(), m.drainSeconds(), m.failed());
                    out.flush();
                }
            }
            return verdict(results, out) ? 0 : 1;
        } finally {
            FileSystemUtils.deleteRecursively(workDir);
        }
    }

    private Measurement measure(ConfigurableApplicationContext service, String mode, int round)
            throws InterruptedException {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        var generator = new LoadGenerator(StreamingApi.OPENAI, URI.create("http://127.0.0.1:" + port), null, PROMPT,
                maxTokens, Duration.ofMinutes(10), null);
        long start = System.nanoTime();
        var report = new LoadReport(generator.run(concurrency, requests), (System.nanoTime() - start) / 1e9);
        long drainStart = System.nanoTime();
        awaitInteractionsWritten(service);
        return new Measurement(mode, round, report.outputTokensPerSecond(), report.firstTokenMillis(50),
                (System.nanoTime() - drainStart) / 1e9, report.failed());
    }

    /** The interaction log's queue empty: records, and their quality scores, written. */
    private static void awaitInteractionsWritten(ConfigurableApplicationContext service) throws InterruptedException {
        Gauge queued = service.getBean(MeterRegistry.class).find("hanul.interactions.queued").gauge();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (queued != null && queued.value() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static boolean verdict(List<Measurement> results, PrintWriter out) {
        double tpsOn = median(results, "on", Measurement::tokensPerSecond);
        double tpsOff = median(results, "off", Measurement::tokensPerSecond);
        double ttftOn = median(results, "on", Measurement::ttftP50Millis);
        double ttftOff = median(results, "off", Measurement::ttftP50Millis);
        boolean noFailures = results.stream().allMatch(m -> m.failed() == 0);
        double tpsRatio = tpsOn / tpsOff;
        double ttftRatio = ttftOn / ttftOff;
        out.printf("%nmedian output tokens/s: on %.1f, off %.1f, on/off %.3f (within 5%%: %s)%n", tpsOn, tpsOff,
                tpsRatio, tpsRatio >= 0.95);
        out.printf("median TTFT p50 ms:     on %.1f, off %.1f, on/off %.3f (within 10%%: %s)%n", ttftOn, ttftOff,
                ttftRatio, ttftRatio <= 1.10);
        out.printf("failed requests: %s%n", noFailures ? "none" : "SOME");
        out.flush();
        return noFailures && tpsRatio >= 0.95 && ttftRatio <= 1.10;
    }

    private static double median(List<Measurement> results, String mode,
            java.util.function.ToDoubleFunction<Measurement> value) {
        double[] values = results.stream().filter(m -> m.mode().equals(mode)).mapToDouble(value).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private ConfigurableApplicationContext start(String name, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--hanul.data-dir=" + workDir.resolve(name).toAbsolutePath(),
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--hanul.model.path=" + model.toAbsolutePath(),
                "--hanul.model.offline=true",
                "--hanul.model.threads=" + threads,
                // the benchmark measures monitoring, not authentication, over loopback only
                "--hanul.security.enabled=false",
                embeddingSetting(),
                "--logging.level.root=warn"));
        args.addAll(extra);
        return new SpringApplication(HanulApplication.class).run(args.toArray(String[]::new));
    }

    private String embeddingSetting() {
        Path converted = Path.of("models/offline/e5-onnx/model-int8.onnx");
        Path chosen = embedding != null ? embedding : Files.isRegularFile(converted) ? converted : null;
        return chosen == null ? "--hanul.embedding.model=all-MiniLM-L6-v2"
                : "--hanul.embedding.path=" + chosen.toAbsolutePath();
    }
}
