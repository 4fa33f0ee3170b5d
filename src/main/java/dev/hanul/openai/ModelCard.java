package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model as {@code GET /v1/models} lists it. {@code created} is when this service started, in epoch seconds. A LoRA
 * adapter also has {@code parent}: the model it runs on (vLLM's field); models and aliases leave it out.
 */
public record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String parent) {

    static ModelCard of(String id, long created) {
        return new ModelCard(id, "model", created, "hanul", null);
    }

    static ModelCard adapter(String id, String parent, long created) {
        return new ModelCard(id, "model", created, "hanul", parent);
    }
}
