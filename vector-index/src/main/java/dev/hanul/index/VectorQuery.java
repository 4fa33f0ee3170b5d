package dev.hanul.index;

import java.util.Objects;

/**
 * A nearest-neighbour query on a {@link VectorCollection}.
 *
 * @param vector     the query vector (not copied)
 * @param topK       matches returned at most
 * @param filter     metadata conditions applied inside the HNSW search
 * @param candidates the kNN query's k before truncation to topK: more costs time and buys recall
 * @param minScore   matches scoring below this are dropped
 */
public record VectorQuery(float[] vector, int topK, Filter filter, int candidates, double minScore) {

    public VectorQuery {
        Objects.requireNonNull(vector, "query vector");
        Objects.requireNonNull(filter, "filter (use Filter.NONE)");
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (candidates < topK) {
            throw new IllegalArgumentException("candidates (" + candidates + ") must be at least topK (" + topK + ")");
        }
    }

    /** Top 10 of 100 candidates, no filter. */
    public static VectorQuery of(float[] vector) {
        return new VectorQuery(vector, SearchRequest.DEFAULT_TOP_K, Filter.NONE, SearchRequest.DEFAULT_CANDIDATES, 0);
    }

    /** Also raises candidates to topK when they were fewer. */
    public VectorQuery withTopK(int topK) {
        return new VectorQuery(vector, topK, filter, Math.max(topK, candidates), minScore);
    }

    public VectorQuery withFilter(Filter filter) {
        return new VectorQuery(vector, topK, filter, candidates, minScore);
    }

    public VectorQuery withCandidates(int candidates) {
        return new VectorQuery(vector, topK, filter, candidates, minScore);
    }

    public VectorQuery withMinScore(double minScore) {
        return new VectorQuery(vector, topK, filter, candidates, minScore);
    }
}
