package dev.hanul.index;

import java.util.Objects;

/**
 * A search within one tenant. What is given decides the retrievers: text alone runs BM25, a vector alone runs kNN,
 * both run hybrid search fused by {@link HybridFusion}. Start from {@link #text}, {@link #vector} or
 * {@link #hybrid} and refine with the {@code with…} methods.
 *
 * @param tenant     mandatory: only this tenant's chunks can be returned
 * @param text       BM25 query text, or null
 * @param vector     kNN query vector (not copied), or null
 * @param filter     metadata conditions applied inside both retrievers
 * @param topK       number of hits returned at most
 * @param candidates how many hits each retriever ranks before fusion and truncation to topK (the kNN query's k);
 *                   more costs time and buys recall
 * @param minScore   hits whose {@link SearchHit#score()} is below this are dropped
 * @param fusion     how hybrid search combines the two rankings
 */
public record SearchRequest(String tenant, String text, float[] vector, Filter filter, int topK, int candidates,
                            double minScore, HybridFusion fusion) {

    public static final int DEFAULT_TOP_K = 10;
    public static final int DEFAULT_CANDIDATES = 100;

    public SearchRequest {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        if (text == null && vector == null) {
            throw new IllegalArgumentException("a search needs query text, a query vector, or both");
        }
        Objects.requireNonNull(filter, "filter (use Filter.NONE)");
        Objects.requireNonNull(fusion, "fusion");
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (candidates < topK) {
            throw new IllegalArgumentException("candidates (" + candidates + ") must be at least topK (" + topK + ")");
        }
    }

    public static SearchRequest text(String tenant, String text) {
        return new SearchRequest(tenant, Objects.requireNonNull(text, "text"), null, Filter.NONE, DEFAULT_TOP_K,
                DEFAULT_CANDIDATES, 0, HybridFusion.DEFAULT);
    }

    public static SearchRequest vector(String tenant, float[] vector) {
        return new SearchRequest(tenant, null, Objects.requireNonNull(vector, "vector"), Filter.NONE, DEFAULT_TOP_K,
                DEFAULT_CANDIDATES, 0, HybridFusion.DEFAULT);
    }

    public static SearchRequest hybrid(String tenant, String text, float[] vector) {
        return new SearchRequest(tenant, Objects.requireNonNull(text, "text"), Objects.requireNonNull(vector, "vector"),
                Filter.NONE, DEFAULT_TOP_K, DEFAULT_CANDIDATES, 0, HybridFusion.DEFAULT);
    }

    public SearchRequest withFilter(Filter filter) {
        return new SearchRequest(tenant, text, vector, filter, topK, candidates, minScore, fusion);
    }

    /** Also raises candidates to topK when they were fewer. */
    public SearchRequest withTopK(int topK) {
        return new SearchRequest(tenant, text, vector, filter, topK, Math.max(topK, candidates), minScore, fusion);
    }

    public SearchRequest withCandidates(int candidates) {
        return new SearchRequest(tenant, text, vector, filter, topK, candidates, minScore, fusion);
    }

    public SearchRequest withMinScore(double minScore) {
        return new SearchRequest(tenant, text, vector, filter, topK, candidates, minScore, fusion);
    }

    public SearchRequest withFusion(HybridFusion fusion) {
        return new SearchRequest(tenant, text, vector, filter, topK, candidates, minScore, fusion);
    }
}
