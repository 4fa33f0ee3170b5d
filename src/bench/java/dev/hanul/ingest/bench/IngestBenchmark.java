package dev.hanul.ingest.bench;

import dev.hanul.HanulApplication;
import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.IngestMetrics;
import dev.hanul.ingest.JobAccepted;
import dev.hanul.ingest.JobView;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Ingestion throughput as a user gets it: the service runs in this JVM on a fresh data directory, the corpus goes in
 * as one upload to {@code /api/ingest}, and the clock runs from the request until the job reports every document
 * done. The per-stage times come from the service's own stage timers ({@link IngestMetrics}).
 */
public final class IngestBenchmark {

    private static final List<String> STAGES = List.of("parse", "clean", "redact", "chunk", "embed", "guard", "index");

    private IngestBenchmark() {
    }

    public static void run(int documents, int workers, String embeddingModel, String embeddingPath, Path workDir,
            PrintWriter out) throws IOException, InterruptedException {
        IngestCorpus corpus = IngestCorpus.fromThisMachine();
        Path corpusDir = workDir.resolve("corpus");
        Path dataDir = workDir.resolve("data");
        FileSystemUtils.deleteRecursively(corpusDir);
        FileSystemUtils.deleteRecursively(dataDir);
        List<Path> files = corpus.write(corpusDir, documents, 42);
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        out.printf("Corpus: %d documents, %.1f MB (%d English paragraphs, %d Korean sentences to draw from)%n",
                files.size(), bytes / 1e6, corpus.englishParagraphs(), corpus.koreanSentences());
        out.flush();

        try (ConfigurableApplicationContext service = start(dataDir, workers, embeddingModel, embeddingPath)) {
            int port = ((WebServerApplicationContext) service).getWebServer().getPort();
            WebClient client = WebClient.builder().baseUrl("http://localhost:" + port)
                    .codecs(c -> c.defaultCodecs().maxInMemorySize(64 << 20)).build();
            long started = System.nanoTime();
            JobAccepted accepted = client.post().uri("/api/ingest")
                    .body(BodyInserters.fromMultipartData(upload(files))).retrieve()
                    .bodyToMono(JobAccepted.class).block(Duration.ofMinutes(5));
            JobView job = await(client, accepted.status());
            double seconds = (System.nanoTime() - started) / 1e9;
            report(out, job, seconds, service.getBean(IngestMetrics.class), workers,
                    service.getBean(Embedder.class).model().description());
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir, int workers, String embeddingModel,
            String embeddingPath) {
        return new SpringApplication(HanulApplication.class).run(
                "--hanul.data-dir=" + dataDir.toAbsolutePath(),
                "--server.port=0",
                "--hanul.ingest.workers=" + workers,
                "--hanul.embedding.model=" + embeddingModel,
                "--hanul.embedding.path=" + embeddingPath,
                // The upload goes to a service on a fresh data directory, which has no API key to send yet.
                "--hanul.security.enabled=false",
                // Ingestion needs no language model: none is downloaded, and its absence is not worth a stack trace.
                "--hanul.model.offline=true",
                "--logging.level.dev.hanul.registry.ModelRegistry=off");
    }

    private static MultiValueMap<String, HttpEntity<?>> upload(List<Path> files) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        files.forEach(file -> body.part("files", new FileSystemResource(file)));
        return body.build();
    }

    private static JobView await(WebClient client, String status) throws InterruptedException {
        while (true) {
            JobView job = client.get().uri(status).retrieve().bodyToMono(JobView.class).block(Duration.ofMinutes(1));
            if (job.finishedAt() != null) {
                return job;
            }
            Thread.sleep(50);
        }
    }

    private static void report(PrintWriter out, JobView job, double seconds, IngestMetrics metrics, int workers,
            String embedder) {
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        STAGES.forEach(stage -> stageSeconds.put(stage, metrics.stageTimer(stage).totalTime(TimeUnit.SECONDS)));
        double total = stageSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        JobView.Progress progress = job.progress();
        out.printf("%nIngestion, %d workers, %s, %s, %d cores, %s%n%n", workers, embedder, LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), cpuModel());
        out.println("| Documents | Failed | Chunks | Wall s | Documents/s | Chunks/s | Embedding share |");
        out.println("|----------:|-------:|-------:|-------:|------------:|---------:|----------------:|");
        out.printf("| %d | %d | %d | %.1f | %.1f | %.1f | %.0f%% |%n", progress.documents(), progress.failedDocuments(),
                progress.chunks(), seconds, progress.documents() / seconds, progress.chunks() / seconds,
                100 * stageSeconds.get("embed") / total);
        out.println();
        out.println("| Stage | Seconds (summed over workers) | Share |");
        out.println("|-------|------------------------------:|------:|");
        stageSeconds.forEach((stage, s) -> out.printf("| %s | %.2f | %.1f%% |%n", stage, s, 100 * s / total));
        out.flush();
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU"; // not Linux: the core count still says something
        }
    }
}
