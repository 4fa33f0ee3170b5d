package dev.hanul.monitoring;

import java.util.List;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * What an API knows about a request that the engine does not: which API and tenant, the question, the prompt
 * template and the retrieved chunks. An API puts it in the Reactor context of the generation's stream
 * ({@code model.generate(request).contextWrite(note::addTo)}), where {@link InteractionLog} finds it; a request
 * without one is logged with {@code api = unknown} under the default tenant.
 *
 * @param templateName    the RAG prompt template; null when none was used
 * @param templateVersion its version; null when none was used
 * @param chunks          the retrieved chunks the prompt holds, empty without retrieval
 */
public record InteractionNote(String api, String tenant, String question, String templateName,
                              Integer templateVersion, List<RetrievedChunk> chunks) {

    public InteractionNote {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    /** A request without retrieval or template. */
    public static InteractionNote of(String api, String tenant, String question) {
        return new InteractionNote(api, tenant, question, null, null, List.of());
    }

    public Context addTo(Context context) {
        return context.put(InteractionNote.class, this);
    }

    static InteractionNote in(ContextView context) {
        return context.getOrDefault(InteractionNote.class, null);
    }
}
