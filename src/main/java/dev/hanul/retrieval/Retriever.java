package dev.hanul.retrieval;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorStore;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Finds the chunks that answer a query, for the RAG layer and for users. The tenant goes into the index query
 * itself, so another tenant's chunks are never even candidates. Embedding and searching block, so they run on the
 * bounded elastic scheduler.
 */
@Service
public class Retriever {

    private final Embedder embedder;
    private final VectorStore store;

    public Retriever(Embedder embedder, VectorStore store) {
        this.embedder = embedder;
        this.store = store;
    }

    public Mono<List<SearchHit>> search(SearchQuery query) {
        return Mono.fromCallable(() -> store.search(request(query))).subscribeOn(Schedulers.boundedElastic());
    }

    private SearchRequest request(SearchQuery query) {
        SearchRequest request = switch (query.mode()) {
            case BM25 -> SearchRequest.text(query.tenant(), query.query());
            case VECTOR -> SearchRequest.vector(query.tenant(), embedder.embedQuery(query.query()));
            case HYBRID -> SearchRequest.hybrid(query.tenant(), query.query(), embedder.embedQuery(query.query()));
        };
        return request.withFilter(query.filter()).withTopK(query.topK()).withMinScore(query.minScore())
                .withFusion(query.fusion());
    }
}
