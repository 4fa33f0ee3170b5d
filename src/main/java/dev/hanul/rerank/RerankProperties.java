package dev.hanul.rerank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reranking stage after retrieval ({@code hanul.rerank.}).
 *
 * @param enabled    rerank searches and chat retrievals unless a request says otherwise; without the model the service
 *                   runs without reranking (and says so in the log)
 * @param path       the reranker's ONNX file, with its {@code tokenizer.json} beside it; empty means
 *                   {@code <data-dir>/models/ms-marco-MiniLM-L-12-v2/}, downloaded there from Hugging Face on first start
 * @param offline    never download: without the file the service runs without reranking
 * @param candidates how many fused hits the reranker reorders before the top k are taken
 * @param korean     rerank Korean queries too; off because the English reranker lowers Korean results
 *                   (docs/benchmarks.md), so Korean queries keep the fused order unless a request asks for reranking
 * @param threads    ONNX Runtime's intra-op threads per pair; 0 lets it use every core
 */
@ConfigurationProperties("hanul.rerank")
public record RerankProperties(@DefaultValue("true") boolean enabled, @DefaultValue("") String path,
                               @DefaultValue("false") boolean offline, @DefaultValue("50") int candidates,
                               @DefaultValue("false") boolean korean, @DefaultValue("0") int threads) {

    /** The most candidates one search reranks: each costs a transformer run. */
    public static final int MAX_CANDIDATES = 200;

    public RerankProperties {
        if (candidates < 1 || candidates > MAX_CANDIDATES) {
            throw new IllegalArgumentException("hanul.rerank.candidates must be between 1 and " + MAX_CANDIDATES
                    + ", got " + candidates);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("hanul.rerank.threads must be 0 (all cores) or more, got " + threads);
        }
    }
}
