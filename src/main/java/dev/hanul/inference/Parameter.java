package dev.hanul.inference;

/**
 * A request parameter as the inference façade and the RAG entry point know it, whatever an API calls it. A refusal
 * names one of these ({@link InferenceFailure.Rejected}); each API turns it into its own wire name in one place.
 */
public enum Parameter {
    MODEL, MESSAGES, PROMPT, MAX_TOKENS, MIN_TOKENS, TEMPERATURE, TOP_P, TOP_K, MIN_P, N, SEED, STOP,
    STOP_TOKEN_IDS, PRESENCE_PENALTY, FREQUENCY_PENALTY, REPETITION_PENALTY, LOGPROBS, LOGIT_BIAS,
    CONVERSATION_ID, TENANT, RETRIEVAL_TOP_K, RETRIEVAL_FILTERS, HYBRID_WEIGHT, MIN_SCORE, TEMPLATE_NAME,
    TEMPLATE_VERSION, OUTPUT_CONSTRAINT, TOOLS, TOOL_CHOICE, RERANK_CANDIDATES;

    /** An API's names for the parameters it has; the field path that follows a parameter is kept as it is. */
    @FunctionalInterface
    public interface Names {
        String of(Parameter parameter);
    }
}
