package dev.hanul.remote;

import dev.hanul.engine.tokenizer.Tokenizer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a remote server says about itself when a version on it loads: which models it serves ({@code /v1/models}),
 * its context length (llama-server's {@code /props}, vLLM's {@code max_model_len}), and whether it tokenizes as the
 * configured tokenizer does ({@code /tokenize}, where it has one). Blocking; run on the registry's loader thread.
 */
final class ServerProbe {

    /** English, Korean, digits, whitespace and punctuation: where tokenizers of different models differ. */
    static final String PROBE = "Hello, world! 한울은 JVM 위의 LLMOps 플랫폼입니다. 3.14159\n\tend.";

    private final WebClient http;
    private final JsonMapper json;
    private final URI baseUrl;
    private final Duration timeout;
    private JsonNode models;

    ServerProbe(WebClient http, JsonMapper json, URI baseUrl, Duration timeout) {
        this.http = http;
        this.json = json;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /** The model to use: the configured one, which the server must list, or its only one. */
    String model(String configured) {
        models = get("/v1/models").orElseThrow(() -> new IllegalStateException(baseUrl + "/v1/models is not "
                + "there; is this an OpenAI-compatible server?"));
        List<String> ids = new ArrayList<>();
        models.path("data").forEach(entry -> ids.add(entry.path("id").asString()));
        if (configured != null && !configured.isBlank()) {
            if (!ids.contains(configured)) {
                throw new IllegalStateException("%s does not serve the model '%s'; it serves %s"
                        .formatted(baseUrl, configured, ids));
            }
            return configured;
        }
        if (ids.size() != 1) {
            throw new IllegalStateException("%s serves %s; set which one with model".formatted(baseUrl, ids));
        }
        return ids.getFirst();
    }

    /** The window the server runs the model with, when it says. */
    Optional<Integer> contextLength(String model) {
        Optional<Integer> served = get("/props").map(props -> props.path("default_generation_settings")
                .path("n_ctx").asInt(0)).filter(n -> n > 0);
        if (served.isPresent()) {
            return served;
        }
        for (JsonNode entry : models.path("data")) {
            if (entry.path("id").asString().equals(model)) {
                int length = entry.path("max_model_len").asInt(0);
                if (length <= 0) {
                    length = entry.path("meta").path("n_ctx_train").asInt(0);
                }
                return length > 0 ? Optional.of(length) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Compares the server's tokens for {@link #PROBE} with the tokenizer's.
     *
     * @return how the tokenizer was checked, for the version's detail
     * @throws IllegalStateException when the two differ: prompts would be budgeted and cut with the wrong tokens
     */
    String checkTokenizer(String model, Tokenizer tokenizer, String name) {
        ObjectNode body = json.createObjectNode();
        // llama-server reads content/add_special, vLLM prompt/add_special_tokens; each ignores the other's fields.
        body.put("model", model).put("content", PROBE).put("prompt", PROBE).put("add_special", false)
                .put("add_special_tokens", false);
        JsonNode answer;
        try {
            answer = http.post().uri("/tokenize").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(json.writeValueAsString(body)).retrieve().bodyToMono(String.class)
                    .map(json::readTree).block(timeout);
        } catch (WebClientResponseException e) {
            return "not checked: the server has no /tokenize (" + e.getStatusCode().value() + ")";
        } catch (RuntimeException e) {
            return "not checked: /tokenize failed (" + RemoteFailures.rootMessage(e) + ")";
        }
        JsonNode tokens = answer == null ? null : answer.path("tokens");
        if (tokens == null || !tokens.isArray()) {
            return "not checked: /tokenize answered without tokens";
        }
        int[] remote = new int[tokens.size()];
        for (int i = 0; i < remote.length; i++) {
            JsonNode token = tokens.get(i);
            remote[i] = token.isObject() ? token.path("id").asInt() : token.asInt();
        }
        int[] local = tokenizer.encode(PROBE, false);
        if (!Arrays.equals(local, remote)) {
            throw new IllegalStateException(("the tokenizer %s does not match the model on %s: for a probe text it "
                    + "gives %d tokens %s…, the server %d tokens %s…; set tokenizer to the served model's GGUF")
                    .formatted(name, baseUrl, local.length, head(local), remote.length, head(remote)));
        }
        return "matches the server's /tokenize";
    }

    private static String head(int[] tokens) {
        return Arrays.toString(Arrays.copyOf(tokens, Math.min(8, tokens.length)));
    }

    /** The JSON at {@code path}; empty when the server has no such endpoint. */
    private Optional<JsonNode> get(String path) {
        try {
            return Optional.ofNullable(http.get().uri(path).accept(MediaType.APPLICATION_JSON).retrieve()
                    .bodyToMono(String.class).map(json::readTree).block(timeout));
        } catch (WebClientResponseException e) {
            if (e.getStatusCode().value() == 404 || e.getStatusCode().value() == 405) {
                return Optional.empty();
            }
            throw new IllegalStateException("%s%s answered %d: %s".formatted(baseUrl, path,
                    e.getStatusCode().value(), e.getResponseBodyAsString()));
        } catch (WebClientRequestException e) {
            throw new IllegalStateException("%s cannot be reached: %s".formatted(baseUrl,
                    RemoteFailures.rootMessage(e)), e);
        }
    }
}
