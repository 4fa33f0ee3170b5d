package dev.hanul.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running service's JSON API for the commands that manage it ({@code prompts}, {@code eval}): a request, its JSON
 * answer, and the service's own error message as the command's failure.
 */
final class ServiceClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServiceClient(URI base) {
        this(base, null);
    }

    private ServiceClient(URI base, String tenant) {
        this.base = base;
        this.tenant = tenant;
    }

    /** The same service, with requests made in {@code tenant} (X-Tenant-Id). */
    ServiceClient tenant(String tenant) {
        return new ServiceClient(base, tenant);
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    String getText(String path) {
        return exchange(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    JsonNode put(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** The text of a file the command sends, or the command's failure naming the file. */
    static String fileText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    static String json(Object value) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    }

    private JsonNode send(HttpRequest.Builder request) {
        return JSON.readTree(exchange(request));
    }

    private String exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            if (tenant != null) {
                request.header("X-Tenant-Id", tenant);
            }
            response = http.send(request.timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("The service at " + base + " did not answer (" + e + "); start it with "
                    + "`bin/hanul serve`, or point --url at it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (response.statusCode() >= 300) {
            String message = response.body();
            try {
                JsonNode error = JSON.readTree(message);
                message = error.has("message") ? error.get("message").asString() : message;
            } catch (RuntimeException notJson) {
                // the body as it came
            }
            throw new IllegalStateException("%s %s: %d %s".formatted(response.request().method(),
                    response.request().uri().getPath(), response.statusCode(), message));
        }
        return response.body();
    }
}
