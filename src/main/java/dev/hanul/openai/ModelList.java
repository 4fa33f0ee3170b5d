package dev.hanul.openai;

import java.util.List;

/** The body of {@code GET /v1/models}. */
public record ModelList(String object, List<ModelCard> data) {

    static ModelList of(List<ModelCard> models) {
        return new ModelList("list", models);
    }
}
