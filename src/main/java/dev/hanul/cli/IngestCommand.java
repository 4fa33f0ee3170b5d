package dev.hanul.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hanul ingest PATH...}: sends files (directories are walked) to a running service's {@code /api/ingest}, in
 * batches, and follows each job to the end with a progress bar. It talks to the service rather than to the data
 * directory because the service owns the index and database while it runs.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingest files and directories into a running Hanul service, with a progress bar.")
final class IngestCommand implements Callable<Integer> {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories (walked recursively).")
    List<Path> paths;

    @Option(names = "--url", defaultValue = "http://localhost:8080",
            description = "The service (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--tenant", description = "Tenant (default: the API key's tenant, else 'default').")
    String tenant;

    @Option(names = "--batch", defaultValue = "32", description = "Files per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    ApiKeyOption apiKey;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        List<Path> files = files();
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No files found under " + paths);
        }
        WebClient client = apiKey.apply(WebClient.builder()).baseUrl(url.toString())
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (int from = 0; from < files.size(); from += batch) {
            List<Path> part = files.subList(from, Math.min(files.size(), from + batch));
            Map<String, Object> accepted = send(client, part);
            failed += follow(client, (String) accepted.get("status"), err,
                    "files %d-%d of %d".formatted(from + 1, from + part.size(), files.size()));
        }
        spec.commandLine().getOut().printf("%d files sent, %d failed%n", files.size(), failed);
        return failed == 0 ? 0 : 1;
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("No such file or directory: " + path);
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                    if (isEmpty(file)) {
                        // The service refuses a request with an empty file whole; skipping it keeps the rest going.
                        spec.commandLine().getErr().printf("skipped (empty): %s%n", file);
                    } else {
                        files.add(file);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        return files;
    }

    private static boolean isEmpty(Path file) {
        try {
            return Files.size(file) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> send(WebClient client, List<Path> files) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        files.forEach(file -> body.part("files", new FileSystemResource(file)));
        if (tenant != null) {
            body.part("tenant", tenant);
        }
        try {
            return client.post().uri("/api/ingest").body(BodyInserters.fromMultipartData(body.build()))
                    .retrieve().bodyToMono(JSON).block(Duration.ofMinutes(10));
        } catch (WebClientResponseException e) {
            throw new IllegalStateException("The service refused the upload (HTTP %d): %s"
                    .formatted(e.getStatusCode().value(), e.getResponseBodyAsString()), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot reach the service at " + url + " (start it with bin/hanul serve): "
                    + e.getMessage(), e);
        }
    }

    /** Polls the job until it ends; returns how many of its documents failed. */
    @SuppressWarnings("unchecked")
    private int follow(WebClient client, String status, PrintWriter err, String label) throws InterruptedException {
        ProgressBar bar = new ProgressBar(err, label, "documents", 0);
        while (true) {
            Map<String, Object> job = client.get().uri(status)
                    .headers(headers -> {
                        if (tenant != null) {
                            headers.set("X-Tenant-Id", tenant);
                        }
                    })
                    .retrieve()
                    .bodyToMono(JSON).block(Duration.ofMinutes(1));
            Map<String, Object> progress = (Map<String, Object>) job.get("progress");
            bar.update(((Number) progress.get("done")).longValue(), ((Number) progress.get("documents")).longValue());
            String state = (String) job.get("status");
            if (state.startsWith("COMPLETED") || state.equals("FAILED")) {
                bar.done();
                for (Map<String, Object> error : (List<Map<String, Object>>) job.get("errors")) {
                    err.printf("  failed: %s: %s%n", error.get("source"), error.get("reason"));
                }
                err.flush();
                return ((Number) progress.get("failedDocuments")).intValue();
            }
            Thread.sleep(250);
        }
    }
}
