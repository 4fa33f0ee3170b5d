package dev.hanul.index;

import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;

/**
 * The kNN query of the chunk store and of collections. A quantized graph ranks by approximate scores, so its
 * candidates are rescored with the raw floats (which quantized formats keep) before the top k are taken: recall then
 * nears that of a float graph, for the cost of reading the candidates' raw vectors.
 */
final class KnnQueries {

    private KnnQueries() {
    }

    /** The {@code candidates} nearest vectors that pass {@code filter} (null for none), best first. */
    static Query nearest(String field, float[] vector, int candidates, Query filter, IndexConfig config) {
        Query knn = new KnnFloatVectorQuery(field, vector, candidates, filter);
        return config.quantization() == Quantization.NONE ? knn
                : RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, vector, field, candidates);
    }
}
