package dev.hanul.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends streaming requests to a running service, {@code concurrency} at a time, until {@code requests} were sent,
 * and times every token as it arrives. Each request runs on its own virtual thread and reads the event stream line by
 * line, so client-side overhead stays far below the service's per-token time.
 */
final class LoadGenerator {

    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final StreamingApi api;
    private final URI endpoint;
    private final String body;
    private final Duration timeout;
    private final String apiKey;

    /** @param apiKey sent as a Bearer token; null for a service with auth off */
    LoadGenerator(StreamingApi api, URI service, String model, String prompt, int maxTokens, Duration timeout,
            String apiKey) {
        this.api = api;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.endpoint = api.endpoint(service);
        this.body = json.writeValueAsString(api.body(model, prompt, maxTokens));
        this.timeout = timeout;
    }

    /** Runs the load; the outcomes come in the order the requests were sent. */
    List<LoadOutcome> run(int concurrency, int requests) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        LoadOutcome[] outcomes = new LoadOutcome[requests];
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < Math.min(concurrency, requests); w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        outcomes[i] = send();
                    }
                }));
            }
            for (Future<?> worker : running) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A load worker failed: " + e.getCause(), e.getCause());
                }
            }
        }
        return List.of(outcomes);
    }

    private LoadOutcome send() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest request = builder.build();
        long start = System.nanoTime();
        try {
            HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return LoadOutcome.failed("HTTP " + response.statusCode() + ": "
                            + String.join("\n", lines.toList()));
                }
                return read(lines.iterator(), start);
            }
        } catch (IOException | UncheckedIOException e) {
            return LoadOutcome.failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LoadOutcome.failed("interrupted");
        }
    }

    private LoadOutcome read(Iterator<String> lines, long start) {
        long first = 0;
        long previous = 0;
        int tokens = 0;
        Integer reported = null;
        List<Long> gaps = new ArrayList<>();
        while (lines.hasNext()) {
            String line = lines.next();
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring("data:".length()).strip();
            if (data.equals("[DONE]")) {
                break;
            }
            long now = System.nanoTime() - start;
            StreamingApi.Event event = api.read(parse(data));
            if (event.error() != null) {
                return LoadOutcome.failed("error event: " + event.error());
            }
            if (event.completionTokens() != null) {
                reported = event.completionTokens();
            }
            if (event.token()) {
                if (tokens == 0) {
                    first = now;
                } else {
                    gaps.add(now - previous);
                }
                previous = now;
                tokens++;
            }
        }
        if (tokens == 0) {
            return LoadOutcome.failed("the stream ended without a token");
        }
        return new LoadOutcome(null, first, previous, reported != null ? reported : tokens,
                gaps.stream().mapToLong(Long::longValue).toArray());
    }

    private JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("not JSON in the event stream: " + data, e));
        }
    }
}
