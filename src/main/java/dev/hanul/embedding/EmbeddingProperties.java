package dev.hanul.embedding;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How texts are embedded ({@code hanul.embedding.}).
 *
 * @param model   which model: {@code multilingual-e5-small} (default; Korean and English) or {@code all-MiniLM-L6-v2}
 *                (English only, bundled). Changing it on an existing index is refused until the index is rebuilt:
 *                vectors of two models are never mixed
 * @param path    the model's ONNX file, with its {@code tokenizer.json} beside it; empty means
 *                {@code <data-dir>/models/<model>/}, downloaded there from Hugging Face on first start
 * @param offline never download: a missing model file fails the start with the reason
 * @param threads ONNX Runtime's intra-op threads per text (queries, {@code /v1/embeddings}); 0 lets it use every
 *                core. Ingestion runs its own single-threaded session, one text per ingestion worker
 */
@ConfigurationProperties("hanul.embedding")
public record EmbeddingProperties(@DefaultValue("multilingual-e5-small") String model, @DefaultValue("") String path,
                                  @DefaultValue("false") boolean offline, @DefaultValue("0") int threads) {

    public EmbeddingProperties {
        if (threads < 0) {
            throw new IllegalArgumentException("hanul.embedding.threads must be 0 (all cores) or more, got " + threads);
        }
        EmbeddingModel.byId(model);
    }

    /** The bundled English model on all cores: what needs no file. */
    public static EmbeddingProperties bundled() {
        return new EmbeddingProperties(EmbeddingModel.ALL_MINILM_L6_V2.id(), "", true, 0);
    }

    public EmbeddingModel spec() {
        return EmbeddingModel.byId(model);
    }
}
