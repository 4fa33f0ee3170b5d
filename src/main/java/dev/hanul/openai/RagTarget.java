package dev.hanul.openai;

import dev.hanul.api.Tenants;
import org.springframework.web.server.ResponseStatusException;

/**
 * A chat completion that answers from a tenant's documents, and which tenant. RAG is on for
 * {@code model: "rag:<tenant>"} (that tenant), for {@code model: "rag"} (the X-Tenant-Id header's tenant, else the
 * default one), and for any other model (or no model) with a {@code rag} field whose {@code enabled} is not false
 * (the header's tenant, else the default). The alias lets clients that can only choose a model name switch RAG on;
 * the field carries the options.
 *
 * @param model      the model as the client named it, which the response echoes
 * @param generation the model that answers: the one named, or null (the default) for the rag aliases
 */
record RagTarget(String tenant, String model, String generation, RagOptions options) {

    static final String ALIAS = "rag";
    private static final String PREFIX = ALIAS + ":";

    /** Null for plain chat; a 400 naming {@code model} or {@code rag.enabled} for a request that contradicts itself. */
    static RagTarget of(String model, RagOptions options, String tenantHeader) {
        if (model == null || !(model.equals(ALIAS) || model.startsWith(PREFIX))) {
            return options == null || options.switchedOff() ? null
                    : new RagTarget(Tenants.resolve(tenantHeader, null), model, model, options);
        }
        if (options != null && options.switchedOff()) {
            throw OpenAiException.invalid("rag.enabled", ("model '%s' asks for answers from documents, but "
                    + "rag.enabled is false; name a model from GET /v1/models for plain chat, or leave rag.enabled "
                    + "out.").formatted(model));
        }
        RagOptions chosen = options == null ? RagOptions.DEFAULTS : options;
        if (model.equals(ALIAS)) {
            return new RagTarget(Tenants.resolve(tenantHeader, null), model, null, chosen);
        }
        String collection = model.substring(PREFIX.length());
        if (collection.isBlank()) {
            throw OpenAiException.invalid("model", "model 'rag:' names no tenant; use rag:<tenant>, or rag alone for "
                    + "the " + Tenants.HEADER + " header's tenant.");
        }
        if (tenantHeader != null && !tenantHeader.isBlank() && !tenantHeader.strip().equals(collection)) {
            throw OpenAiException.invalid("model", ("model '%s' searches tenant '%s', but the %s header says '%s'; "
                    + "send one of them, or the same tenant in both.").formatted(model, collection, Tenants.HEADER,
                    tenantHeader.strip()));
        }
        try {
            return new RagTarget(Tenants.resolve(null, collection), model, null, chosen);
        } catch (ResponseStatusException e) {
            throw OpenAiException.invalid("model", "model '%s': %s Use rag:<tenant>, or rag alone for the %s "
                    .formatted(model, e.getReason(), Tenants.HEADER) + "header's tenant.");
        }
    }
}
