package dev.hanul.index;

/** A record found by a {@link VectorQuery}: its id, similarity score (see {@link VectorSimilarity}) and metadata. */
public record VectorMatch(String id, float score, Metadata metadata) {
}
