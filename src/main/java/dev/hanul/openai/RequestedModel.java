package dev.hanul.openai;

import dev.hanul.inference.ServedModel;

/** Which model a completion request names: the served one, or none (vLLM then uses the one it serves). */
final class RequestedModel {

    private RequestedModel() {
    }

    /** The served model's id, or a 404 model_not_found when the request names another. */
    static String check(String requested, ServedModel served) {
        String id = served.id();
        if (requested != null && !requested.equals(id)) {
            throw OpenAiException.modelNotFound(requested);
        }
        return id;
    }
}
