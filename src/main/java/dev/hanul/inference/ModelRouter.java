package dev.hanul.inference;

import java.util.List;
import java.util.Optional;

/** Which loaded version serves a request that names a model (an alias, {@code name@version}, or a model's name). */
public interface ModelRouter {

    /**
     * @param requested  the model as the request names it; null for the default alias
     * @param routingKey what keeps related requests on one version of a split alias (a conversation id, a user, a
     *                   request key); null to choose per request
     * @throws InferenceFailure.ModelNotFound when nothing of that name is registered
     * @throws InferenceFailure.ModelNotReady when it is registered but no version of it is ready
     */
    Route route(String requested, String routingKey);

    /** The names requests may use, for model lists ({@code /v1/models}). */
    List<String> names();

    /** For a LoRA adapter's name, the model it runs on (vLLM's {@code parent} in /v1/models); else empty. */
    default Optional<String> parentOf(String name) {
        return Optional.empty();
    }

    /**
     * Where one request goes.
     *
     * @param requested the name the request used (responses echo it), or the default alias's name
     * @param primary   the version whose answer the client gets
     * @param shadow    a candidate that gets a copy of the request, its answer recorded and never returned; null for
     *                  none
     */
    record Route(String requested, ModelInstance primary, ModelInstance shadow) {
    }
}
