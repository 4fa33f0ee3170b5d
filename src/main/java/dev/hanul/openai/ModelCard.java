package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A model as {@code GET /v1/models} lists it. {@code created} is when this service started, in epoch seconds.
 *
 * @param parent       a LoRA adapter's base model (vLLM's field); models and aliases leave it out
 * @param maxModelLen  vLLM's extra: the most tokens one request may hold, prompt and answer together; absent while
 *                     the model is not loaded
 * @param capabilities what the model can be asked for here (chat, completion, embedding, structured_outputs,
 *                     tools); an extra field, which OpenAI SDKs ignore
 */
public record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String parent,
                        @JsonProperty("max_model_len") @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxModelLen,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> capabilities) {

    /** What a generation model served through the engine can do. */
    static final List<String> GENERATION = List.of("chat", "completion", "structured_outputs", "tools");

    static ModelCard of(String id, long created) {
        return new ModelCard(id, "model", created, "hanul", null, null, List.of());
    }

    static ModelCard of(String id, long created, Integer maxModelLen, List<String> capabilities) {
        return new ModelCard(id, "model", created, "hanul", null, maxModelLen, capabilities);
    }

    static ModelCard adapter(String id, String parent, long created, Integer maxModelLen) {
        return new ModelCard(id, "model", created, "hanul", parent, maxModelLen, GENERATION);
    }
}
