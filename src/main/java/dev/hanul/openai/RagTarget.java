package dev.hanul.openai;

import dev.hanul.api.Tenants;
import dev.hanul.inference.ServedModel;
import org.springframework.web.server.ResponseStatusException;

/**
 * A chat completion that answers from a tenant's documents, and which tenant. RAG is on for
 * {@code model: "rag:<tenant>"} (that tenant), for {@code model: "rag"} (the X-Tenant-Id header's tenant, else the
 * default one), and for the served model's id (or no model) with a {@code rag} field whose {@code enabled} is not
 * false (the header's tenant, else the default). The alias lets clients that can only choose a model name switch RAG
 * on; the field carries the options.
 *
 * @param model the model as the client named it, which the response echoes
 */
record RagTarget(String tenant, String model, RagOptions options) {

    static final String ALIAS = "rag";
    private static final String PREFIX = ALIAS + ":";

    /** Null for plain chat; a 400 naming {@code model} or {@code rag.enabled} for a request that contradicts itself. */
    static RagTarget of(String model, RagOptions options, String tenantHeader, ServedModel served) {
        if (model == null || !(model.equals(ALIAS) || model.startsWith(PREFIX))) {
            String id = RequestedModel.check(model, served);
            return options == null || options.switchedOff() ? null
                    : new RagTarget(Tenants.resolve(tenantHeader, null), id, options);
        }
        if (options != null && options.switchedOff()) {
            throw OpenAiException.invalid("rag.enabled", ("model '%s' asks for answers from documents, but "
                    + "rag.enabled is false; name the served model (%s) for plain chat, or leave rag.enabled out.")
                    .formatted(model, served.id()));
        }
        RagOptions chosen = options == null ? RagOptions.DEFAULTS : options;
        if (model.equals(ALIAS)) {
            return new RagTarget(Tenants.resolve(tenantHeader, null), model, chosen);
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
            return new RagTarget(Tenants.resolve(null, collection), model, chosen);
        } catch (ResponseStatusException e) {
            throw OpenAiException.invalid("model", "model '%s': %s Use rag:<tenant>, or rag alone for the %s "
                    .formatted(model, e.getReason(), Tenants.HEADER) + "header's tenant.");
        }
    }
}
