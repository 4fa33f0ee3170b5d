package dev.hanul.retrieval;

/**
 * A request's choice about the reranking stage; null fields take the service's settings ({@code hanul.rerank.}).
 *
 * @param enabled    true to rerank, false not to; null to rerank when the model is there (and, for a Korean query,
 *                   when {@code hanul.rerank.korean} is set)
 * @param candidates how many fused hits the reranker reorders before the top k are taken
 */
public record RerankOptions(Boolean enabled, Integer candidates) {

    public static final RerankOptions DEFAULT = new RerankOptions(null, null);
}
