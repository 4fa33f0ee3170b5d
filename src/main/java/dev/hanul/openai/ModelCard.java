package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A model as {@code GET /v1/models} lists it. {@code created} is when this service started, in epoch seconds. */
public record ModelCard(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

    static ModelCard of(String id, long created) {
        return new ModelCard(id, "model", created, "hanul");
    }
}
