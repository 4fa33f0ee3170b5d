package dev.hanul.openai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP against the service, so tests see the bytes on the wire (SSE lines exactly as clients parse them). */
final class OpenAiHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    OpenAiHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    /** @param headers extra headers as name, value, name, value… */
    HttpResponse<String> post(String path, String body, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** @param headers extra headers as name, value, name, value… */
    HttpResponse<String> get(String path, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers).GET());
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String... headers) {
        return headers.length == 0 ? request : request.headers(headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** The data of each server-sent event, from lines written as {@code data: <data>}; other lines are not expected. */
    static List<String> events(String body) {
        return body.lines().filter(line -> !line.isEmpty()).map(line -> {
            if (!line.startsWith("data: ")) {
                throw new AssertionError("Not an SSE data line: " + line);
            }
            return line.substring("data: ".length());
        }).toList();
    }
}
