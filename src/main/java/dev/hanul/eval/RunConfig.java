package dev.hanul.eval;

import dev.hanul.retrieval.SearchMode;

/**
 * What a run varies: the model, the prompt and the retrieval settings. Null fields take the service's defaults.
 *
 * @param model        an alias or version; null for the default model
 * @param template     a prompt template's name, or {@code name@label}; null for rag-default's production version
 * @param mode         hybrid (default), vector or bm25
 * @param topK         documents to retrieve (default 10)
 * @param hybridWeight weight of the vector ranking in hybrid fusion (0.5: equal)
 * @param generate     also generate answers (needed for answer metrics); default true when items have answers
 * @param maxTokens    the answers' limit
 */
record RunConfig(String model, String template, Integer templateVersion, SearchMode mode, Integer topK,
                 Double hybridWeight, Boolean generate, Integer maxTokens) {

    static final int DEFAULT_TOP_K = 10;

    SearchMode searchMode() {
        return mode == null ? SearchMode.HYBRID : mode;
    }

    int k() {
        return topK == null ? DEFAULT_TOP_K : topK;
    }

    /**
     * The chat's fusion weight that gives this mode's ranking: the chat always fuses, so BM25 alone is weight 0 and
     * vector alone weight 1.
     */
    Double chatHybridWeight() {
        return switch (searchMode()) {
            case BM25 -> 0.0;
            case VECTOR -> 1.0;
            case HYBRID -> hybridWeight;
        };
    }
}
