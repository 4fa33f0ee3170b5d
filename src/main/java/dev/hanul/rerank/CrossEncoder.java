package dev.hanul.rerank;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtException;
import dev.hanul.embedding.OnnxTransformer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cross-encoder: reads a query and a passage together and scores how well the passage answers the query (a logit;
 * higher is better). Slower than comparing vectors, since every pair is a full transformer run, so it only reorders
 * the few dozen candidates the retrievers found. Each pair runs alone, never padded into a batch: the model is
 * dynamically quantized, and a pair's score must not depend on the pairs it happened to run with (see
 * {@link dev.hanul.embedding.Embedder}). Thread-safe.
 */
public final class CrossEncoder implements AutoCloseable {

    /** ms-marco-MiniLM-L-12-v2, the English reranker: Transformers.js's int8 ONNX export, with its tokenizer. */
    public static final String ID = "ms-marco-MiniLM-L-12-v2";
    public static final String HUGGING_FACE_REPO = "Xenova/ms-marco-MiniLM-L-12-v2";
    public static final String MODEL_FILE = "onnx/model_quantized.onnx";
    /** The model's window: query and passage together, special tokens included. */
    public static final int MAX_TOKENS = 512;

    private final OnnxTransformer transformer;
    private final HuggingFaceTokenizer tokenizer;

    private CrossEncoder(OnnxTransformer transformer, HuggingFaceTokenizer tokenizer) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
    }

    /**
     * @param file    the ONNX file, with {@code tokenizer.json} beside it
     * @param threads ONNX Runtime's intra-op threads per pair; 0 for every core
     */
    public static CrossEncoder load(Path file, int threads) {
        try {
            // The shipped tokenizer.json pads every pair to 512 tokens: four times the work for a typical chunk.
            // Truncation takes from the longer of the two, so a long passage never pushes the query out.
            HuggingFaceTokenizer tokenizer = OnnxTransformer.tokenizerBeside(file, Map.of("padding", "false",
                    "truncation", "longest_first", "maxLength", Integer.toString(MAX_TOKENS)));
            return new CrossEncoder(OnnxTransformer.open(file, threads), tokenizer);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot load the reranker " + ID + " from " + file + ": " + e.getMessage(),
                    e);
        }
    }

    /** How well {@code passage} answers {@code query}: a logit, comparable across passages of one query. */
    public double score(String query, String passage) {
        return transformer.run(tokenizer.encode(query, passage), (logits, tokens) -> logits.get(0));
    }

    @Override
    public void close() {
        try {
            transformer.close();
        } finally {
            tokenizer.close();
        }
    }
}
