package dev.hanul.monitoring;

import java.util.List;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * What an API knows about a request that the engine does not: which API and tenant, the question, the prompt
 * template and the retrieved chunks. An API puts it in the Reactor context of the generation's stream
 * ({@code model.generate(request, note::addTo)}), where {@link InteractionLog} finds it; a request
 * without one is logged with {@code api = unknown} under the default tenant.
 *
 * @param templateName    the RAG prompt template; null when none was used
 * @param templateVersion its version; null when none was used
 * @param chunks          the retrieved chunks the prompt holds, empty without retrieval
 * @param guardrails      the guardrails' decisions on this request; null when no guardrail ran
 * @param passages        the texts the prompt quoted from those chunks, for the groundedness and context-relevance
 *                        scores; the record stores the chunks' ids, not these
 */
public record InteractionNote(String api, String tenant, String question, String templateName,
                              Integer templateVersion, List<RetrievedChunk> chunks, GuardrailRecord guardrails,
                              List<String> passages) {

    public InteractionNote {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
        passages = passages == null ? List.of() : List.copyOf(passages);
    }

    /** The same note with the question as the guardrails left it (redacted) and their decisions. */
    public InteractionNote guarded(String question, GuardrailRecord guardrails) {
        return new InteractionNote(api, tenant, question, templateName, templateVersion, chunks, guardrails,
                passages);
    }

    /** The note an API wrote into a generation's context; null when it wrote none. */
    public static InteractionNote from(ContextView context) {
        return in(context);
    }

    /** A request without retrieval or template. */
    public static InteractionNote of(String api, String tenant, String question) {
        return new InteractionNote(api, tenant, question, null, null, List.of(), null, List.of());
    }

    public Context addTo(Context context) {
        return context.put(InteractionNote.class, this);
    }

    static InteractionNote in(ContextView context) {
        return context.getOrDefault(InteractionNote.class, null);
    }
}
