package dev.hanul.engine;

import dev.hanul.engine.sampling.SamplingParams;
import java.util.Objects;
import java.util.UUID;

/**
 * A prompt, as token ids, to continue with the given sampling parameters. The id names the request for
 * {@link InferenceEngine#cancel}; it must be unique among the requests the engine is running. The prompt array is
 * copied in and out, so the request stays immutable.
 */
public record GenerationRequest(String id, int[] prompt, SamplingParams params) {

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

    @Override
    public int[] prompt() {
        return prompt.clone();
    }
}
