package dev.hanul.api;

import dev.hanul.inference.Parameter;

/** The native API's field names ({@code POST /api/chat}) for the parameters the inference façade names. */
public final class NativeParameters {

    private NativeParameters() {
    }

    public static String of(Parameter parameter) {
        return switch (parameter) {
            case MODEL -> "model";
            case MESSAGES, PROMPT -> "messages";
            case MAX_TOKENS -> "sampling.maxTokens";
            case MIN_TOKENS -> "sampling.minTokens";
            case TEMPERATURE -> "sampling.temperature";
            case TOP_P -> "sampling.topP";
            case TOP_K -> "sampling.topK";
            case MIN_P -> "sampling.minP";
            case N -> "sampling.n";
            case SEED -> "sampling.seed";
            case STOP -> "sampling.stop";
            case STOP_TOKEN_IDS -> "sampling.stopTokenIds";
            case PRESENCE_PENALTY -> "sampling.presencePenalty";
            case FREQUENCY_PENALTY -> "sampling.frequencyPenalty";
            case REPETITION_PENALTY -> "sampling.repetitionPenalty";
            case LOGPROBS -> "sampling.logprobs";
            case LOGIT_BIAS -> "sampling.logitBias";
            case CONVERSATION_ID -> "conversationId";
            case TENANT -> "tenant";
            case RETRIEVAL_TOP_K -> "retrieval.topK";
            case RETRIEVAL_FILTERS -> "retrieval.filters";
            case HYBRID_WEIGHT -> "retrieval.hybridWeight";
            case MIN_SCORE -> "retrieval.minScore";
            case TEMPLATE_NAME -> "template.name";
            case TEMPLATE_VERSION -> "template.version";
            case OUTPUT_CONSTRAINT -> "constraint";
            case TOOLS -> "tools";
            case TOOL_CHOICE -> "toolChoice";
            case RERANK_CANDIDATES -> "retrieval.rerankCandidates";
        };
    }
}
