package dev.hanul.retrieval;

import dev.hanul.api.JsonFilters;
import dev.hanul.api.JsonMetadata;
import dev.hanul.api.Tenants;
import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import dev.hanul.index.RetrieverRank;
import dev.hanul.index.SearchHit;
import dev.hanul.rerank.RerankProperties;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/search}: hybrid, vector or BM25 search over the tenant's chunks. */
@RestController
class SearchController {

    /**
     * @param filters metadata conditions (see {@link JsonFilters}); keys include documentId, source, mediaType,
     *                heading, ingestedAt and the documents' own metadata
     * @param rerank  true or false to rerank the hits or not; null for the service's setting
     * @param rerankCandidates how many fused hits the reranker reorders before the top k are taken
     */
    record Request(String query, String tenant, Integer topK, JsonNode filters, String mode, Double minScore,
                   Boolean rerank, Integer rerankCandidates) {
    }

    /** @param reranker the model that reordered the hits; null when they are in the retrievers' order */
    record Response(String query, String tenant, String mode, String reranker, List<Hit> hits) {
    }

    /**
     * @param scores the score hits are ordered by, and each retriever's own rank and score (null when it did not
     *               run or did not find the chunk)
     */
    record Hit(String documentId, String chunkId, String source, String heading, String text,
               Map<String, Object> metadata, Scores scores) {
    }

    record Scores(double score, RetrieverRank bm25, RetrieverRank vector) {
    }

    private final Retriever retriever;

    SearchController(Retriever retriever) {
        this.retriever = retriever;
    }

    @PostMapping("/api/search")
    Mono<Response> search(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestBody Request request) {
        String tenant = Tenants.resolve(header, request.tenant());
        SearchQuery query = query(tenant, request);
        String reranker = retriever.reranked(query) ? retriever.rerankModel() : null;
        return retriever.search(query).map(hits -> new Response(query.query(), tenant,
                query.mode().name().toLowerCase(Locale.ROOT), reranker,
                hits.stream().map(SearchController::hit).toList()));
    }

    private static SearchQuery query(String tenant, Request request) {
        if (request.query() == null || request.query().isBlank()) {
            throw badRequest("query is missing or empty; send the text to search for.");
        }
        int topK = request.topK() == null ? 10 : request.topK();
        if (topK < 1 || topK > SearchQuery.MAX_TOP_K) {
            throw badRequest("topK must be between 1 and " + SearchQuery.MAX_TOP_K + ", got " + topK + ".");
        }
        SearchMode mode;
        try {
            mode = request.mode() == null ? SearchMode.HYBRID
                    : SearchMode.valueOf(request.mode().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badRequest("mode '" + request.mode() + "' is not known; use hybrid (the default), vector or bm25.");
        }
        Filter filter;
        try {
            filter = JsonFilters.parse(request.filters(), "filters");
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        double minScore = request.minScore() == null ? 0 : request.minScore();
        Integer candidates = request.rerankCandidates();
        if (candidates != null && (candidates < 1 || candidates > RerankProperties.MAX_CANDIDATES)) {
            throw badRequest("rerankCandidates must be between 1 and " + RerankProperties.MAX_CANDIDATES + ", got "
                    + candidates + ".");
        }
        return new SearchQuery(tenant, request.query().strip(), mode, filter, topK, minScore, HybridFusion.DEFAULT,
                new RerankOptions(request.rerank(), candidates));
    }

    private static Hit hit(SearchHit hit) {
        Map<String, Object> metadata = JsonMetadata.toJson(hit.metadata());
        return new Hit(hit.documentId(), hit.chunkId(), (String) metadata.get("source"),
                (String) metadata.get("heading"), hit.text(), metadata,
                new Scores(hit.score(), hit.textRank(), hit.vectorRank()));
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
