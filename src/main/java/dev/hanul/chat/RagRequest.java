package dev.hanul.chat;

import dev.hanul.inference.SamplingOptions;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A question to answer from a tenant's documents, in no API's terms: {@code POST /api/chat} and the OpenAI API's
 * {@code rag} both translate their bodies into this, and {@link RagRequestChecker} checks it once for both. Null
 * fields take the service's defaults.
 *
 * @param model          the model as the client named it (an alias or a version); null for the default
 * @param conversationId continue or start the conversation kept under this id; null to start one with a new id
 * @param messages       system messages, earlier turns and, last, the user's question
 * @param maxTokens      the answer's limit; null for the service's reserve
 */
public record RagRequest(String tenant, String model, String conversationId, List<Turn> messages,
                         Retrieval retrieval, Template template, SamplingOptions sampling, Integer maxTokens) {

    /** A message as the client sent it; the checker normalizes the role (LangChain's human and ai included). */
    public record Turn(String role, String content) {
    }

    /**
     * @param enabled          false for plain chat: no retrieval, no template
     * @param rerank           true or false to rerank the hits or not; null for the service's setting
     * @param rerankCandidates how many fused hits the reranker reorders; null for the service's setting
     */
    public record Retrieval(boolean enabled, Integer topK, JsonNode filters, Double hybridWeight, Double minScore,
                            Boolean rerank, Integer rerankCandidates) {

        public static final Retrieval DEFAULTS = new Retrieval(true, null, null, null, null);

        /** With the service's reranking settings. */
        public Retrieval(boolean enabled, Integer topK, JsonNode filters, Double hybridWeight, Double minScore) {
            this(enabled, topK, filters, hybridWeight, minScore, null, null);
        }
    }

    /** @param version null for the latest */
    public record Template(String name, Integer version) {
    }
}
