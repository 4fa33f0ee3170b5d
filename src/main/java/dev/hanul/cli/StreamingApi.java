package dev.hanul.cli;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The streaming wire formats {@code hanul bench load} speaks: what to post, and what each server-sent event says.
 */
enum StreamingApi {

    /** {@code POST /v1/chat/completions} with stream true: {@code data: {choices:[{delta:{content}}]}}, then [DONE]. */
    OPENAI("/v1/chat/completions") {
        @Override
        Map<String, Object> body(String model, String prompt, int maxTokens) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (model != null) {
                body.put("model", model);
            }
            body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
            body.put("max_tokens", maxTokens);
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
            return body;
        }

        @Override
        Event read(JsonNode data) {
            if (data.has("error")) {
                return Event.failure(data.get("error").toString());
            }
            // With include_usage the last chunk has no choices and the exact count of completion tokens.
            JsonNode usage = data.get("usage");
            Integer total = usage != null && usage.isObject() ? usage.get("completion_tokens").asInt() : null;
            JsonNode choices = data.get("choices");
            boolean token = choices != null && !choices.isEmpty()
                    && !choices.get(0).path("delta").path("content").asString("").isEmpty();
            return new Event(token, total, null);
        }
    },

    /** TGI's {@code POST /generate_stream}: one event per token, the last with details.generated_tokens. */
    TGI("/generate_stream") {
        @Override
        Map<String, Object> body(String model, String prompt, int maxTokens) {
            return Map.of("inputs", prompt, "parameters", Map.of("max_new_tokens", maxTokens, "do_sample", true));
        }

        @Override
        Event read(JsonNode data) {
            if (data.has("error")) {
                return Event.failure(data.get("error").asString());
            }
            JsonNode details = data.get("details");
            Integer total = details != null && details.isObject() ? details.get("generated_tokens").asInt() : null;
            return new Event(true, total, null);
        }
    };

    private final String path;

    StreamingApi(String path) {
        this.path = path;
    }

    URI endpoint(URI service) {
        return service.resolve(path);
    }

    /** The request body; {@code model} may be null where the API does without it. */
    abstract Map<String, Object> body(String model, String prompt, int maxTokens);

    /** What one event's JSON data says. */
    abstract Event read(JsonNode data);

    /**
     * @param token           the event delivers a generated token
     * @param completionTokens the request's exact token count, when the event reports it
     * @param error           the server's error message, when the event is an error
     */
    record Event(boolean token, Integer completionTokens, String error) {

        static Event failure(String message) {
            return new Event(false, null, message);
        }
    }
}
