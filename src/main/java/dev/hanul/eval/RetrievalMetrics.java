package dev.hanul.eval;

import java.util.List;
import java.util.Map;

/**
 * Retrieval metrics of one query, computed as trec_eval (and so pytrec_eval and BEIR's evaluator) computes them:
 * relevance is a judged grade of at least 1; nDCG uses the grade itself as the gain and log2(rank + 1) as the
 * discount, with the ideal ranking of all judged documents; the reciprocal rank looks at the whole ranking, not a
 * cut-off. Documents the qrels do not judge count as not relevant.
 */
final class RetrievalMetrics {

    private RetrievalMetrics() {
    }

    /**
     * @param ranking document ids, best first, without duplicates
     * @param qrels   document id → graded relevance (0 or negative: judged not relevant)
     */
    static Map<String, Double> of(List<String> ranking, Map<String, Integer> qrels, int k) {
        return Map.of(
                "ndcg@" + k, ndcg(ranking, qrels, k),
                "recall@" + k, recall(ranking, qrels, k),
                "hit@" + k, hit(ranking, qrels, k),
                "mrr", reciprocalRank(ranking, qrels));
    }

    static double ndcg(List<String> ranking, Map<String, Integer> qrels, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += gain(qrels, ranking.get(i)) / log2(i + 2);
        }
        List<Integer> ideal = qrels.values().stream().filter(grade -> grade > 0)
                .sorted((a, b) -> Integer.compare(b, a)).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static double recall(List<String> ranking, Map<String, Integer> qrels, int k) {
        long relevant = qrels.values().stream().filter(grade -> grade >= 1).count();
        if (relevant == 0) {
            return 0;
        }
        long found = ranking.stream().limit(k).filter(id -> qrels.getOrDefault(id, 0) >= 1).count();
        return (double) found / relevant;
    }

    static double hit(List<String> ranking, Map<String, Integer> qrels, int k) {
        return ranking.stream().limit(k).anyMatch(id -> qrels.getOrDefault(id, 0) >= 1) ? 1 : 0;
    }

    static double reciprocalRank(List<String> ranking, Map<String, Integer> qrels) {
        for (int i = 0; i < ranking.size(); i++) {
            if (qrels.getOrDefault(ranking.get(i), 0) >= 1) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    private static double gain(Map<String, Integer> qrels, String id) {
        return Math.max(0, qrels.getOrDefault(id, 0));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
