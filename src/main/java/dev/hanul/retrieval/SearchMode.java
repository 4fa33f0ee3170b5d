package dev.hanul.retrieval;

/** Which retrievers a search runs. */
public enum SearchMode {
    /** BM25 and kNN, fused by their standard scores: the default, best on mixed keyword and meaning queries. */
    HYBRID,
    /** kNN over the query's embedding only: finds paraphrases, misses rare exact terms. */
    VECTOR,
    /** BM25 only: exact terms, no embedding cost. */
    BM25
}
