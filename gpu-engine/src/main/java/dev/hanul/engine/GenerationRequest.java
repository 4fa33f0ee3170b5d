package dev.hanul.engine;

import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.sampling.SamplingParams;
import java.util.Objects;
import java.util.UUID;

/**
 * A prompt, as token ids, to continue with the given sampling parameters. The id names the request for
 * {@link InferenceEngine#cancel}; it must be unique among the requests the engine is running. The prompt array is
 * copied in and out, so the request stays immutable.
 *
 * @param adapter the LoRA adapter this request runs with (loaded for the engine's model), or null for the base model;
 *                requests with different adapters share batches
 */
public record GenerationRequest(String id, int[] prompt, SamplingParams params, LoraAdapter adapter) {

    /** A request on the base model. */
    public GenerationRequest(String id, int[] prompt, SamplingParams params) {
        this(id, prompt, params, null);
    }

    public GenerationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
        if (id.isBlank()) {
            throw new IllegalArgumentException("request id must not be blank");
        }
        if (prompt.length == 0) {
            throw new IllegalArgumentException("prompt must contain at least one token");
        }
        prompt = prompt.clone();
    }

    /** A request with a fresh random id. */
    public static GenerationRequest of(int[] prompt, SamplingParams params) {
        return new GenerationRequest(UUID.randomUUID().toString(), prompt, params);
    }

    /** The same request with {@code lora} (null: the base model). */
    public GenerationRequest withAdapter(LoraAdapter lora) {
        return new GenerationRequest(id, prompt, params, lora);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }
}
