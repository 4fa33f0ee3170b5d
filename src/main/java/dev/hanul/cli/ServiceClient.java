package dev.hanul.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running service's JSON API for the commands that manage it ({@code model}, {@code keys}, {@code prompts},
 * {@code eval}): a request with the API key and the actor, its JSON answer, and the service's own error message as
 * the command's failure.
 */
final class ServiceClient {

    /** Where the service is and who calls it: the options every such command takes (a picocli mixin). */
    static final class Options {

        @Option(names = {"--url", "--server"}, defaultValue = "http://localhost:8080",
                description = "The running service (default: ${DEFAULT-VALUE}).")
        URI url;

        @Mixin
        ApiKeyOption apiKey;

        @Option(names = "--actor", defaultValue = "${env:USER:-anonymous}",
                description = "Who makes a change, as the change history records it (default: $USER).")
        String actor;

        ServiceClient client() {
            return new ServiceClient(url, apiKey.key, actor, null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String apiKey;
    private final String actor;
    private final String tenant;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServiceClient(URI base, String apiKey, String actor, String tenant) {
        this.base = base;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.actor = actor;
        this.tenant = tenant;
    }

    /** The same service, with requests made in {@code tenant} (X-Tenant-Id). */
    ServiceClient tenant(String tenant) {
        return new ServiceClient(base, apiKey, actor, tenant);
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    String getText(String path) {
        return exchange(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode post(String path, Object body) {
        return send(withBody(path, "POST", body));
    }

    JsonNode put(String path, Object body) {
        return send(withBody(path, "PUT", body));
    }

    /**
     * A multipart/form-data POST: the form's fields, then the file as part {@code fileField} (as OpenAI's
     * {@code POST /v1/files} takes it).
     */
    JsonNode postFile(String path, Map<String, String> fields, String fileField, Path file) {
        String boundary = "hanul-" + Long.toHexString(System.nanoTime());
        var body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                + "\"; filename=\"" + file.getFileName()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            body.writeBytes(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    /** A path segment, percent-encoded. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
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

    private HttpRequest.Builder withBody(String path, String method, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) {
        String body = exchange(request);
        return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
    }

    private String exchange(HttpRequest.Builder request) {
        request.header("Accept", "application/json").timeout(Duration.ofMinutes(5));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (actor != null) {
            request.header("X-Hanul-Actor", actor);
        }
        if (tenant != null) {
            request.header("X-Tenant-Id", tenant);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("The service at " + base + " did not answer (" + e + "); start it with "
                    + "`bin/hanul serve`, or point --url at it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("HTTP %d from %s %s: %s%s".formatted(response.statusCode(),
                    response.request().method(), response.request().uri().getPath(), message(response.body()),
                    response.statusCode() == 401 && apiKey == null
                            ? " (pass --api-key KEY or set HANUL_API_KEY)" : ""));
        }
        return response.body();
    }

    /** The service's own message from its JSON error (the native one or OpenAI's), or the body as it came. */
    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error.has("error") && error.get("error").has("message")) {
                return error.get("error").get("message").asString();
            }
            return error.has("message") ? error.get("message").asString() : body;
        } catch (RuntimeException notJson) {
            return body;
        }
    }
}
