package dev.hanul.index;

/**
 * A chunk found by a search.
 *
 * @param score       what the hits are ordered by: the fused RRF score for hybrid search, otherwise the single
 *                    retriever's score
 * @param textRank    where BM25 ranked the chunk; null when BM25 did not run or did not return it
 * @param vectorRank  where kNN ranked the chunk; null when kNN did not run or did not return it
 */
public record SearchHit(String chunkId, String documentId, String tenant, String text, TextLanguage language,
                        Metadata metadata, double score, RetrieverRank textRank, RetrieverRank vectorRank) {
}
