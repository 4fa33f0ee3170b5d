package dev.hanul.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry's admin API ({@code /api/admin/models}) as the {@code hanul model} commands call it: JSON in,
 * JSON out, and the service's error message as the command's error when it refuses.
 */
final class AdminClient {

    /** The options every admin command takes (a picocli mixin). */
    static final class Options {

        @Option(names = "--server", defaultValue = "http://localhost:8080",
                description = "The service (default: ${DEFAULT-VALUE}).")
        URI server;

        @Option(names = "--actor", defaultValue = "${env:USER:-anonymous}",
                description = "Who makes the change, as recorded in the history (default: $USER).")
        String actor;

        AdminClient client() {
            return new AdminClient(server, actor);
        }
    }

    private static final String BASE = "/api/admin/models";

    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI server;
    private final String actor;

    AdminClient(URI server, String actor) {
        this.server = server;
        this.actor = actor;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code name@3} as the API's path: {@code /name/versions/3}. */
    static String versionPath(String id) {
        int at = id.lastIndexOf('@');
        if (at < 1 || !id.substring(at + 1).matches("\\d+")) {
            throw new IllegalArgumentException("'" + id + "' is not a version; write it as name@number, e.g. "
                    + "smollm2@3");
        }
        return "/" + encode(id.substring(0, at)) + "/versions/" + id.substring(at + 1);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Object body) {
        URI uri = server.resolve(BASE + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json").header("X-Hanul-Actor", actor);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach the service at " + server + " (" + e + "); start it with "
                    + "`bin/hanul serve` or pass --server.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode answer = response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        if (response.statusCode() >= 300) {
            String message = answer.path("message").asString(response.body());
            throw new IllegalStateException("HTTP %d from %s %s: %s".formatted(response.statusCode(), method, uri,
                    message));
        }
        return answer;
    }
}
