package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * The {@code rag} extra field of a chat completion request: switches retrieval-augmented answers on for the served
 * model id (or, with a {@code rag:} model alias, only carries options) and says how to retrieve. Every field is
 * optional; the meanings are those of {@code POST /api/chat}'s {@code retrieval} and {@code template}.
 *
 * @param enabled         true (the default once the field is there); false for plain chat
 * @param filter          metadata conditions, as in {@code POST /api/search}
 * @param template        the prompt template's name; null for {@code rag-default}
 * @param templateVersion its version; null for the latest
 */
public record RagOptions(
        Boolean enabled,
        @JsonProperty("top_k") Integer topK,
        JsonNode filter,
        @JsonProperty("hybrid_weight") Double hybridWeight,
        @JsonProperty("min_score") Double minScore,
        String template,
        @JsonProperty("template_version") Integer templateVersion,
        Boolean rerank,
        @JsonProperty("rerank_candidates") Integer rerankCandidates) {

    /** The options of a {@code rag:} alias without the field: the service's defaults. */
    static final RagOptions DEFAULTS = new RagOptions(true, null, null, null, null, null, null, null, null);

    boolean switchedOff() {
        return Boolean.FALSE.equals(enabled);
    }
}
