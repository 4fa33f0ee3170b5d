package dev.hanul.retrieval;

import dev.hanul.index.Filter;

/**
 * A checked search, always within one tenant.
 *
 * @param minScore hits scoring below this are dropped; the score is the fused RRF score in hybrid mode (about 0.03
 *                 at best with the default k = 60), the similarity (0 to 1) in vector mode, the BM25 score in bm25
 */
public record SearchQuery(String tenant, String query, SearchMode mode, Filter filter, int topK, double minScore) {
}
