package dev.hanul.cli;

import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.Ocr;
import dev.hanul.ingest.text.SupportedTypes;
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
 *
 * <p>One file never stops the rest: files it can tell will be refused (empty, a format Hanul does not read) are not
 * sent, a batch the service refuses is sent again file by file so that only the refused files are left out, and every
 * refused or failed file is listed with the reason at the end, which exits 1.
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

    /** A file left out, and why. */
    private record Refused(Path file, String reason) {
    }

    /** The service refused a whole request (4xx): nothing of it was ingested. */
    private static final class RefusedRequest extends RuntimeException {
        RefusedRequest(String reason) {
            super(reason);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        List<Refused> refused = new ArrayList<>();
        List<Path> files = files(refused);
        if (files.isEmpty() && refused.isEmpty()) {
            throw new IllegalArgumentException("No files found under " + paths);
        }
        WebClient client = apiKey.apply(WebClient.builder()).baseUrl(url.toString())
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 << 20)).build();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        int sent = 0;
        for (int from = 0; from < files.size(); from += batch) {
            List<Path> part = files.subList(from, Math.min(files.size(), from + batch));
            String label = "files %d-%d of %d".formatted(from + 1, from + part.size(), files.size());
            try {
                failed += follow(client, send(client, part), err, label);
                sent += part.size();
            } catch (RefusedRequest whole) {
                // Which file it was is in the message only; sent one by one, each refusal names its own file.
                for (Path file : part) {
                    try {
                        failed += follow(client, send(client, List.of(file)), err, label + ", " + file.getFileName());
                        sent++;
                    } catch (RefusedRequest one) {
                        refused.add(new Refused(file, one.getMessage()));
                    }
                }
            }
        }
        for (Refused file : refused) {
            err.printf("refused: %s: %s%n", file.file(), file.reason());
        }
        err.flush();
        spec.commandLine().getOut().printf("%d files sent, %d failed, %d refused%n", sent, failed, refused.size());
        return failed == 0 && refused.isEmpty() ? 0 : 1;
    }

    /** The files to send; those the service would refuse anyway go to {@code refused} instead. */
    private List<Path> files(List<Refused> refused) {
        List<Path> files = new ArrayList<>();
        DocumentParser detector = new DocumentParser(1, Ocr.off("not asked here"));
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("No such file or directory: " + path);
            }
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                    String reason = refusal(detector, file);
                    if (reason != null) {
                        refused.add(new Refused(file, reason));
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

    /**
     * Why the service would refuse the file, as far as can be told here. Images are sent: whether the service can
     * OCR them depends on what is installed there.
     */
    private static String refusal(DocumentParser detector, Path file) {
        try {
            if (Files.size(file) == 0) {
                return "it is empty";
            }
        } catch (IOException e) {
            return "it cannot be read (" + e.getMessage() + ")";
        }
        String type = detector.detect(file, file.getFileName().toString());
        return SupportedTypes.isSupported(type) || SupportedTypes.isImage(type) ? null : detector.refusal(type);
    }

    /** Sends the files as one job; answers the job's status path. */
    private String send(WebClient client, List<Path> files) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        files.forEach(file -> body.part("files", new FileSystemResource(file)));
        if (tenant != null) {
            body.part("tenant", tenant);
        }
        try {
            Map<String, Object> accepted = client.post().uri("/api/ingest")
                    .body(BodyInserters.fromMultipartData(body.build()))
                    .retrieve().bodyToMono(JSON).block(Duration.ofMinutes(10));
            return (String) accepted.get("status");
        } catch (WebClientResponseException e) {
            if (e.getStatusCode().is4xxClientError() && e.getStatusCode().value() != 429) {
                throw new RefusedRequest("HTTP %d: %s".formatted(e.getStatusCode().value(), message(e)));
            }
            throw new IllegalStateException("The service refused the upload (HTTP %d): %s"
                    .formatted(e.getStatusCode().value(), e.getResponseBodyAsString()), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot reach the service at " + url + " (start it with bin/hanul serve): "
                    + e.getMessage(), e);
        }
    }

    /** The error body's message when it has one (see the README's error format), else the whole body. */
    private static String message(WebClientResponseException e) {
        try {
            Map<String, Object> body = e.getResponseBodyAs(JSON);
            if (body != null && body.get("message") instanceof String message) {
                return message;
            }
        } catch (RuntimeException ignored) {
            // Not JSON: the raw body says what there is to say.
        }
        return e.getResponseBodyAsString();
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
