package dev.hanul.remote;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Models served by remote OpenAI-compatible servers, under {@code hanul.remote.models.<name>.}: each becomes a
 * version of the model {@code <name>} in the registry, so aliases, canary splits, shadows, metrics, guardrails and
 * the interaction log treat it as they treat a model in this process.
 */
@ConfigurationProperties("hanul.remote")
public record RemoteProperties(Map<String, Server> models) {

    public RemoteProperties {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /**
     * One remote model.
     *
     * @param baseUrl        the server's address up to {@code /v1}, e.g. {@code http://gpu-box:8000}
     * @param model          the model's name on the server (its {@code /v1/models} id); empty for the only one it
     *                       serves
     * @param apiKey         sent as {@code Authorization: Bearer}; empty for none
     * @param tokenizer      a GGUF file whose tokenizer and chat template are the model's (a vocab-only GGUF is
     *                       enough): prompts are rendered and budgeted with it here, and checked against the server's
     *                       {@code /tokenize} where it has one
     * @param contextLength  the model's window in tokens; 0 to ask the server (llama-server's {@code /props},
     *                       vLLM's {@code max_model_len}), else the tokenizer GGUF's context length
     * @param maxConcurrent  requests Hanul sends at once; more are refused with 429 (hanul's limit, not the server's)
     * @param connectTimeout how long to wait for a connection before the request fails
     */
    public record Server(URI baseUrl, @DefaultValue("") String model, @DefaultValue("") String apiKey,
                         Path tokenizer, @DefaultValue("0") int contextLength,
                         @DefaultValue("64") int maxConcurrent, @DefaultValue("5s") Duration connectTimeout) {
    }
}
