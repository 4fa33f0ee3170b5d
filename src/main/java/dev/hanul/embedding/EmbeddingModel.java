package dev.hanul.embedding;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The embedding models Hanul runs, with what each needs: its window, and the prefixes it was trained with (E5 models
 * embed a question as "query: …" and a passage as "passage: …"; without them retrieval quality drops).
 *
 * @param id            the name in settings and in the APIs ({@code /v1/embeddings}, {@code /v1/models})
 * @param maxTokens     tokens per text the model sees, special tokens included; longer texts are truncated
 * @param queryPrefix   put before a search query
 * @param passagePrefix put before a chunk of a document
 * @param bundled       true when the model ships inside a jar; otherwise it is a file, downloaded on first start
 */
public record EmbeddingModel(String id, String description, int dimension, int maxTokens, String queryPrefix,
                             String passagePrefix, boolean bundled, String huggingFaceRepo, String modelFile) {

    /** English only; inside the langchain4j jar, so it needs no download. */
    public static final EmbeddingModel ALL_MINILM_L6_V2 = new EmbeddingModel("all-MiniLM-L6-v2",
            "all-MiniLM-L6-v2 (int8 ONNX, English)", 384, 256, "", "", true, null, null);

    /** Korean, English and ~100 other languages in one space; Transformers.js's int8 ONNX export. */
    public static final EmbeddingModel MULTILINGUAL_E5_SMALL = new EmbeddingModel("multilingual-e5-small",
            "multilingual-e5-small (int8 ONNX, multilingual)", 384, 512, "query: ", "passage: ", false,
            "Xenova/multilingual-e5-small", "onnx/model_quantized.onnx");

    private static final EmbeddingModel[] ALL = {MULTILINGUAL_E5_SMALL, ALL_MINILM_L6_V2};

    public static EmbeddingModel byId(String id) {
        return Arrays.stream(ALL).filter(model -> model.id.equalsIgnoreCase(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("hanul.embedding.model is '" + id + "', which Hanul "
                        + "does not know; use one of " + Arrays.stream(ALL).map(EmbeddingModel::id)
                        .collect(Collectors.joining(", "))));
    }
}
