package dev.hanul.chat;

import dev.hanul.inference.SamplingOptions;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/chat}. Every field but {@code messages} is optional.
 *
 * @param model          the model to answer with: an alias, {@code name@version}, or a model's name; default: the
 *                       {@code default} alias
 * @param messages       the conversation as the client has it: system messages, earlier turns, and last the user's
 *                       question (roles system, user, assistant; LangChain's human and ai are accepted too)
 * @param conversationId continue (or start) the conversation kept on the server under this id; without it the answer
 *                       starts a new one, whose id the response reports
 * @param tenant         the tenant, when the X-Tenant-Id header is not sent
 * @param retrieval      what to retrieve the sources from, or {@code enabled: false} for plain chat
 * @param template       the prompt template that puts sources and question together
 * @param sampling       how to generate the answer
 * @param stream         true (the default): a server-sent event stream; false: one JSON response
 */
public record ChatRequest(String model, List<Message> messages, String conversationId, String tenant,
                          Retrieval retrieval, Template template, Sampling sampling, Boolean stream) {

    /** This body in the RAG entry point's terms; nothing is checked here. */
    RagRequest toRagRequest(String tenant) {
        Sampling s = sampling != null ? sampling : new Sampling(null, null, null, null, null, null, null, null, null,
                null);
        return new RagRequest(tenant, model,
                conversationId,
                messages == null ? null : messages.stream()
                        .map(m -> m == null ? null : new RagRequest.Turn(m.role(), m.content())).toList(),
                retrieval == null ? null : new RagRequest.Retrieval(!Boolean.FALSE.equals(retrieval.enabled()),
                        retrieval.topK(), retrieval.filters(), retrieval.hybridWeight(), retrieval.minScore(),
                        retrieval.rerank(), retrieval.rerankCandidates()),
                template == null ? null : new RagRequest.Template(template.name(), template.version()),
                // This API decodes greedily unless asked otherwise: grounded answers should not wander.
                new SamplingOptions(s.temperature() == null ? 0.0 : s.temperature(), s.topP(), s.topK(), s.minP(),
                        null, s.seed(), s.stop(), null, s.presencePenalty(), s.frequencyPenalty(),
                        s.repetitionPenalty(), null, null, false),
                s.maxTokens());
    }

    boolean streaming() {
        return stream == null || stream;
    }

    public record Message(String role, String content) {
    }

    /**
     * @param hybridWeight weight of the vector (kNN) ranking against BM25 in hybrid fusion: 0 is BM25 only, 1 vector
     *                     only, 0.5 (the default) both equally
     * @param filters      metadata conditions, as in {@code POST /api/search}
     * @param rerank       true or false to rerank the retrieved chunks or not; null for the service's setting
     * @param rerankCandidates how many fused hits the reranker reorders before the top k are taken
     */
    public record Retrieval(Boolean enabled, Integer topK, JsonNode filters, Double hybridWeight, Double minScore,
                            Boolean rerank, Integer rerankCandidates) {
    }

    /** @param version a version number; null for the latest */
    public record Template(String name, Integer version) {
    }

    /** The answer's sampling; the meanings and limits are vLLM's (and OpenAI's). */
    public record Sampling(Double temperature, Double topP, Integer topK, Double minP, Integer maxTokens, Long seed,
                           List<String> stop, Double repetitionPenalty, Double presencePenalty,
                           Double frequencyPenalty) {
    }
}
