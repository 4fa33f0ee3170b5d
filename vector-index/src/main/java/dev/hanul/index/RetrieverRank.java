package dev.hanul.index;

/**
 * Where one retriever (BM25 or kNN) placed a hit.
 *
 * @param rank  1-based position in that retriever's ranking
 * @param score the retriever's own score: BM25, or vector similarity as {@link VectorSimilarity} describes
 */
public record RetrieverRank(int rank, float score) {
}
