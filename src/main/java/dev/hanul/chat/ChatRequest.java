package dev.hanul.chat;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/chat}. Every field but {@code messages} is optional.
 *
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
public record ChatRequest(List<Message> messages, String conversationId, String tenant, Retrieval retrieval,
                          Template template, Sampling sampling, Boolean stream) {

    public record Message(String role, String content) {
    }

    /**
     * @param hybridWeight weight of the vector (kNN) ranking against BM25 in hybrid fusion: 0 is BM25 only, 1 vector
     *                     only, 0.5 (the default) both equally
     * @param filters      metadata conditions, as in {@code POST /api/search}
     */
    public record Retrieval(Boolean enabled, Integer topK, JsonNode filters, Double hybridWeight, Double minScore) {
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
