package dev.hanul.index.solrcloud;

import dev.hanul.index.RetrieverRank;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.ShardParams;

/**
 * Runs one {@link SearchRequest} against the collection, as the embedded store's ChunkSearch does on one searcher:
 * tenant and filter are filter queries, which Solr applies inside BM25 and as the kNN query's pre-filter, so the top
 * k are taken among matching chunks only. Each retriever is one request ranking {@code candidates} chunks; hybrid
 * search fuses the two rankings here, by chunk id, with the request's {@link dev.hanul.index.HybridFusion}.
 */
final class SolrChunkSearch {

    private final SolrNodes nodes;
    private final String collection;
    private final SolrChunks chunks;

    SolrChunkSearch(SolrNodes nodes, String collection, SolrChunks chunks) {
        this.nodes = nodes;
        this.collection = collection;
        this.chunks = chunks;
    }

    List<SearchHit> run(SearchRequest request) throws IOException {
        SolrDocumentList text = request.text() == null ? null : ranking(request, bm25(request.text()));
        SolrDocumentList vector = request.vector() == null ? null : ranking(request, knn(request));
        if (text != null && vector != null) {
            return fused(request, text, vector);
        }
        return text != null ? single(request, text, true) : single(request, vector, false);
    }

    /** BM25 over both language fields, each analyzed its own way; the query text is never read as syntax. */
    private static SolrQuery bm25(String text) {
        return new SolrQuery("{!bool should=$hanul.en should=$hanul.ko}")
                .setParam("hanul.en", "{!lucene df=" + SolrChunks.ENGLISH_TEXT + " q.op=OR v=$hanul.text}")
                .setParam("hanul.ko", "{!lucene df=" + SolrChunks.KOREAN_TEXT + " q.op=OR v=$hanul.text}")
                .setParam("hanul.text", ClientUtils.escapeQueryChars(text));
    }

    private static SolrQuery knn(SearchRequest request) {
        var vector = new StringBuilder("[");
        for (int i = 0; i < request.vector().length; i++) {
            vector.append(i == 0 ? "" : ",").append(request.vector()[i]);
        }
        return new SolrQuery("{!knn f=" + SolrChunks.VECTOR + " topK=" + request.candidates() + "}"
                + vector.append(']'));
    }

    private SolrDocumentList ranking(SearchRequest request, SolrQuery query) throws IOException {
        query.addFilterQuery(SolrFilters.term(SolrChunks.TENANT, request.tenant()));
        if (!request.filter().equals(dev.hanul.index.Filter.NONE)) {
            query.addFilterQuery(SolrFilters.toQuery(request.filter()));
        }
        String route = chunks.route(request.tenant());
        if (route != null) {
            query.set(ShardParams._ROUTE_, route);
        }
        query.setFields(SolrChunks.RETURNED).setRows(request.candidates());
        return nodes.send(new QueryRequest(query, org.apache.solr.client.solrj.SolrRequest.METHOD.POST), collection)
                .getResults();
    }

    private List<SearchHit> fused(SearchRequest request, SolrDocumentList text, SolrDocumentList vector) {
        Map<String, SolrDocument> byId = new HashMap<>();
        text.forEach(document -> byId.put(id(document), document));
        vector.forEach(document -> byId.putIfAbsent(id(document), document));
        List<SearchHit> hits = new ArrayList<>(request.topK());
        for (var fused : request.fusion().fuse(ids(text), scores(text), ids(vector), scores(vector))) {
            if (hits.size() == request.topK() || fused.score() < request.minScore()) {
                break;
            }
            hits.add(SolrChunks.toHit(byId.get(fused.key()), fused.score(), rank(text, fused.textRank()),
                    rank(vector, fused.vectorRank())));
        }
        return hits;
    }

    private static List<SearchHit> single(SearchRequest request, SolrDocumentList ranking, boolean isText) {
        List<SearchHit> hits = new ArrayList<>(request.topK());
        for (int i = 0; i < ranking.size() && hits.size() < request.topK(); i++) {
            float score = score(ranking.get(i));
            if (score < request.minScore()) {
                break;
            }
            var rank = new RetrieverRank(i + 1, score);
            hits.add(SolrChunks.toHit(ranking.get(i), score, isText ? rank : null, isText ? null : rank));
        }
        return hits;
    }

    private static String id(SolrDocument document) {
        return (String) document.getFirstValue(SolrChunks.ID);
    }

    private static List<String> ids(SolrDocumentList ranking) {
        return ranking.stream().map(SolrChunkSearch::id).toList();
    }

    private static double[] scores(SolrDocumentList ranking) {
        return ranking.stream().mapToDouble(SolrChunkSearch::score).toArray();
    }

    private static float score(SolrDocument document) {
        return ((Number) document.getFirstValue("score")).floatValue();
    }

    private static RetrieverRank rank(SolrDocumentList ranking, int rank) {
        return rank == 0 ? null : new RetrieverRank(rank, score(ranking.get(rank - 1)));
    }
}
