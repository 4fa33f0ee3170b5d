package dev.hanul.retrieval;

import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import java.util.Objects;

/**
 * A checked search, always within one tenant.
 *
 * @param minScore hits scoring below this are dropped; the score is the fused score in hybrid mode (0 to 1, 0.5 for
 *                 an average candidate), the similarity (0 to 1) in vector mode, the BM25 score in bm25
 * @param fusion   how hybrid mode weighs BM25 against kNN; ignored by the other modes
 * @param rerank   whether the hits are reordered by the reranker, and from how many candidates
 */
public record SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore,
                          HybridFusion fusion, RerankOptions rerank) {

    /** The most hits one search returns: more is rarely useful and makes every search slower. */
    public static final int MAX_TOP_K = 100;

    public SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore) {
        this(tenant, query, mode, filter, topK, minScore, HybridFusion.DEFAULT);
    }

    public SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore,
            HybridFusion fusion) {
        this(tenant, query, mode, filter, topK, minScore, fusion, RerankOptions.DEFAULT);
    }

    public SearchQuery {
        Objects.requireNonNull(rerank, "rerank");
    }
}
