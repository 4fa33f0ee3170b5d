package dev.hanul.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one {@link SearchRequest} on one searcher. Tenant and filter form a single scope query that both
 * retrievers apply inside their search (the kNN query's filter, a filter clause of BM25), so the top k are taken
 * among matching chunks only. Both retrievers see the same point-in-time reader, so their Lucene doc ids agree and
 * serve as fusion keys; stored fields are loaded only for the hits returned.
 */
final class ChunkSearch {

    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final IndexConfig config;

    ChunkSearch(IndexSearcher searcher, Analyzer analyzer, IndexConfig config) {
        this.searcher = searcher;
        this.analyzer = analyzer;
        this.config = config;
    }

    List<SearchHit> run(SearchRequest request) throws IOException {
        Query scope = FilterQueries.scoped(ChunkSchema.tenant(request.tenant()), request.filter());
        ScoreDoc[] text = request.text() == null ? null : bm25(request, scope);
        ScoreDoc[] vector = request.vector() == null ? null : knn(request, scope);
        if (text != null && vector != null) {
            return fused(request, text, vector);
        }
        return text != null ? single(request, text, true) : single(request, vector, false);
    }

    private List<SearchHit> fused(SearchRequest request, ScoreDoc[] text, ScoreDoc[] vector) throws IOException {
        List<SearchHit> hits = new ArrayList<>(request.topK());
        StoredFields stored = searcher.storedFields();
        for (var fused : request.fusion().fuse(docIds(text), scores(text), docIds(vector), scores(vector))) {
            if (hits.size() == request.topK() || fused.score() < request.minScore()) {
                break;
            }
            hits.add(ChunkSchema.toHit(stored.document(fused.key()), fused.score(),
                    rank(text, fused.textRank()), rank(vector, fused.vectorRank())));
        }
        return hits;
    }

    private List<SearchHit> single(SearchRequest request, ScoreDoc[] ranking, boolean isText) throws IOException {
        List<SearchHit> hits = new ArrayList<>(request.topK());
        StoredFields stored = searcher.storedFields();
        for (int i = 0; i < ranking.length && hits.size() < request.topK(); i++) {
            if (ranking[i].score < request.minScore()) {
                break;
            }
            var rank = new RetrieverRank(i + 1, ranking[i].score);
            hits.add(ChunkSchema.toHit(stored.document(ranking[i].doc), ranking[i].score,
                    isText ? rank : null, isText ? null : rank));
        }
        return hits;
    }

    private ScoreDoc[] bm25(SearchRequest request, Query scope) throws IOException {
        Query terms = ChunkSchema.textQuery(request.text(), analyzer);
        if (terms == null) {
            return new ScoreDoc[0];
        }
        Query query = new BooleanQuery.Builder()
                .add(terms, BooleanClause.Occur.MUST)
                .add(scope, BooleanClause.Occur.FILTER)
                .build();
        return searcher.search(query, request.candidates()).scoreDocs;
    }

    private ScoreDoc[] knn(SearchRequest request, Query scope) throws IOException {
        Query query = KnnQueries.nearest(ChunkSchema.VECTOR, request.vector(), request.candidates(), scope, config);
        return searcher.search(query, request.candidates()).scoreDocs;
    }

    private static List<Integer> docIds(ScoreDoc[] ranking) {
        return Arrays.stream(ranking).map(scoreDoc -> scoreDoc.doc).toList();
    }

    private static double[] scores(ScoreDoc[] ranking) {
        return Arrays.stream(ranking).mapToDouble(scoreDoc -> scoreDoc.score).toArray();
    }

    private static RetrieverRank rank(ScoreDoc[] ranking, int rank) {
        return rank == 0 ? null : new RetrieverRank(rank, ranking[rank - 1].score);
    }
}
