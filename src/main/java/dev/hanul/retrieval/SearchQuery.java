package dev.hanul.retrieval;

import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;

/**
 * A checked search, always within one tenant.
 *
 * @param minScore hits scoring below this are dropped; the score is the fused score in hybrid mode (0 to 1, 0.5 for
 *                 an average candidate), the similarity (0 to 1) in vector mode, the BM25 score in bm25
 * @param fusion   how hybrid mode weighs BM25 against kNN; ignored by the other modes
 */
public record SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore,
                          HybridFusion fusion) {

    /** The most hits one search returns: more is rarely useful and makes every search slower. */
    public static final int MAX_TOP_K = 100;

    public SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore) {
        this(tenant, query, mode, filter, topK, minScore, HybridFusion.DEFAULT);
    }
}
