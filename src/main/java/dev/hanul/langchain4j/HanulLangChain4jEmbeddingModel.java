package dev.hanul.langchain4j;

import dev.hanul.embedding.Embedder;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;

/**
 * Hanul's in-process embedder as a LangChain4j {@link EmbeddingModel}, so that what goes into the
 * {@link HanulEmbeddingStore} and the queries against it are in the index's vector space. LangChain4j embeds queries
 * and segments through the same call, so both get the model's passage prefix (all-MiniLM-L6-v2 has none; for E5
 * queries this is slightly weaker than Hanul's own search, which gives them the query prefix).
 */
public final class HanulLangChain4jEmbeddingModel implements EmbeddingModel {

    private final Embedder embedder;

    public HanulLangChain4jEmbeddingModel(Embedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return Response.from(embedder.embedPassages(segments.stream().map(TextSegment::text).toList()).stream()
                .map(Embedding::from).toList());
    }

    @Override
    public int dimension() {
        return embedder.dimension();
    }

    @Override
    public String modelName() {
        return embedder.id();
    }
}
