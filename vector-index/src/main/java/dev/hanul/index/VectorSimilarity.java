package dev.hanul.index;

import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How two vectors are compared. Scores are always "higher is closer" and never negative, as Lucene reports them:
 * cosine and dot product map to {@code (1 + similarity) / 2}, Euclidean to {@code 1 / (1 + squaredDistance)}.
 */
public enum VectorSimilarity {
    COSINE(VectorSimilarityFunction.COSINE),
    /** For vectors of unit length only, as most embedding models produce; cheaper than cosine. */
    DOT_PRODUCT(VectorSimilarityFunction.DOT_PRODUCT),
    /** L2 distance. */
    EUCLIDEAN(VectorSimilarityFunction.EUCLIDEAN);

    private final VectorSimilarityFunction lucene;

    VectorSimilarity(VectorSimilarityFunction lucene) {
        this.lucene = lucene;
    }

    VectorSimilarityFunction lucene() {
        return lucene;
    }
}
