package dev.hanul.remote;

import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ModelState;
import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a remote server's refusals and a broken connection become in the façade's terms. */
final class RemoteFailures {

    /** Retry-After when a server says it is overloaded but not for how long. */
    static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RemoteFailures() {
    }

    static InferenceFailure of(String id, URI server, Throwable error) {
        if (error instanceof WebClientResponseException response) {
            String said = said(response);
            int status = response.getStatusCode().value();
            return switch (status) {
                case 429, 503 -> new InferenceFailure.Overloaded("%s: its remote server %s is busy (%d: %s)."
                        .formatted(id, server, status, said), retryAfter(response.getHeaders(), status), error);
                case 400, 422 -> new InferenceFailure.Rejected(null, names -> "%s: its remote server %s refused the "
                        .formatted(id, server) + "request (%d): %s".formatted(status, said));
                case 401, 403 -> new InferenceFailure.GenerationFailed(("%s: its remote server %s refused Hanul's "
                        + "credentials (%d: %s); check hanul.remote.models.<name>.api-key.")
                        .formatted(id, server, status, said));
                default -> new InferenceFailure.GenerationFailed("%s: its remote server %s answered %d: %s"
                        .formatted(id, server, status, said));
            };
        }
        if (error instanceof WebClientRequestException request) {
            return new InferenceFailure.ModelNotReady(id, new ModelState(ModelState.Phase.STOPPED,
                    "its remote server %s cannot be reached: %s".formatted(server, rootMessage(request))));
        }
        return new InferenceFailure.GenerationFailed("%s: the stream from its remote server %s broke: %s"
                .formatted(id, server, rootMessage(error)));
    }

    /** The server's error message: OpenAI's {@code error.message}, TGI's {@code error}, or the body itself. */
    private static String said(WebClientResponseException response) {
        String body = response.getResponseBodyAsString().strip();
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isObject() && error.path("message").isString()) {
                return error.path("message").asString();
            }
            if (error.isString()) {
                return error.asString();
            }
        } catch (RuntimeException notJson) {
            // Then the body itself is the best account of what went wrong.
        }
        if (body.isEmpty()) {
            return response.getStatusText();
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    /** Retry-After as seconds or an HTTP date; the default when absent or unreadable. */
    static Duration retryAfter(HttpHeaders headers, int status) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        Duration fallback = status == 503 ? Duration.ofSeconds(5) : DEFAULT_RETRY;
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() || until.isZero() ? Duration.ofSeconds(1) : until;
            } catch (RuntimeException unreadable) {
                return fallback;
            }
        }
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
