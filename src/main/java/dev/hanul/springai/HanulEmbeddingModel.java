package dev.hanul.springai;

import dev.hanul.embedding.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * Hanul's in-process embedder as a Spring AI {@link EmbeddingModel}: unit-length vectors, so dot product is cosine.
 * Texts are embedded as given, as {@code /v1/embeddings} does; a {@link Document} is embedded as a passage (with the
 * model's passage prefix, which E5 models need), the way Hanul's ingestion embeds chunks, so vectors made here match
 * those in Hanul's index.
 */
public final class HanulEmbeddingModel implements EmbeddingModel {

    private final Embedder embedder;

    public HanulEmbeddingModel(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<float[]> vectors = embedder.embed(request.getInstructions());
        var embeddings = new ArrayList<Embedding>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            embeddings.add(new Embedding(vectors.get(i), i));
        }
        return new EmbeddingResponse(embeddings, new EmbeddingResponseMetadata(embedder.id(), null));
    }

    @Override
    public float[] embed(Document document) {
        return embedder.embedPassages(List.of(document.getText())).getFirst();
    }

    @Override
    public int dimensions() {
        return embedder.dimension();
    }
}
