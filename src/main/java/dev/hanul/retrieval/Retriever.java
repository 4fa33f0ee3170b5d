package dev.hanul.retrieval;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorStore;
import dev.hanul.rerank.Reranker;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Finds the chunks that answer a query, for the RAG layer and for users. The tenant goes into the index query
 * itself, so another tenant's chunks are never even candidates. When the search is reranked, the retrievers' fused
 * top candidates (not just the top k) are fetched and the {@link Reranker} picks the top k among them, as its own
 * observed step ({@code hanul.chat.rerank}). Embedding, searching and reranking block, so they run on the bounded
 * elastic scheduler.
 */
@Service
public class Retriever {

    private final Embedder embedder;
    private final VectorStore store;
    private final Reranker reranker;
    private final ObservationRegistry observations;

    public Retriever(Embedder embedder, VectorStore store, Reranker reranker, ObservationRegistry observations) {
        this.embedder = embedder;
        this.store = store;
        this.reranker = reranker;
        this.observations = observations;
    }

    public Mono<List<SearchHit>> search(SearchQuery query) {
        return Mono.defer(() -> searchNow(query));
    }

    private Mono<List<SearchHit>> searchNow(SearchQuery query) {
        if (!reranked(query)) {
            return Mono.fromCallable(() -> store.search(request(query, query.topK())))
                    .subscribeOn(Schedulers.boundedElastic());
        }
        int candidates = reranker.candidates(query.rerank().candidates(), query.topK());
        return Mono.fromCallable(() -> store.search(request(query, candidates)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(hits -> Mono.fromCallable(() -> reranker.rerank(query.query(), hits, query.topK()))
                        .subscribeOn(Schedulers.boundedElastic())
                        .name("hanul.chat.rerank").tap(Micrometer.observation(observations)));
    }

    /** Whether this query's hits go through the reranker; asking for it when there is none is refused. */
    public boolean reranked(SearchQuery query) {
        Boolean requested = query.rerank().enabled();
        if (Boolean.TRUE.equals(requested) && reranker.model().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Reranking was asked for, but this "
                    + "service runs without a reranker: " + reranker.unavailable().orElse("it is not loaded")
                    + ". Leave rerank out (or false), or see README, \"Reranking\", for how to install it.");
        }
        return reranker.applies(query.query(), requested);
    }

    /** The reranker's model name, or null when the service runs without one. */
    public String rerankModel() {
        return reranker.model().orElse(null);
    }

    private SearchRequest request(SearchQuery query, int topK) {
        SearchRequest request = switch (query.mode()) {
            case BM25 -> SearchRequest.text(query.tenant(), query.query());
            case VECTOR -> SearchRequest.vector(query.tenant(), embedder.embedQuery(query.query()));
            case HYBRID -> SearchRequest.hybrid(query.tenant(), query.query(), embedder.embedQuery(query.query()));
        };
        return request.withFilter(query.filter()).withTopK(topK).withMinScore(query.minScore())
                .withFusion(query.fusion());
    }
}
