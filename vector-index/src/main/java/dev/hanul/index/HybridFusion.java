package dev.hanul.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a BM25 ranking and a kNN ranking become one.
 *
 * <p>{@link Method#ZSCORE} (the default): each retriever's candidate scores become standard scores,
 * {@code (score − mean) / σ} over its own candidates, and a hit's fused score is the weighted sum of its standard
 * scores (0, the average, from a retriever that did not return it), reported through the logistic function so that it
 * lies in (0, 1) with 0.5 for an average candidate. A hit far above the rest of one retriever keeps all of that lead,
 * while a retriever whose scores barely differ moves little. On a Korean QA set where BM25 is strong this is the only
 * fusion measured that does not fall below BM25 alone (docs/benchmarks.md).
 *
 * <p>{@link Method#RRF reciprocal rank fusion}: a hit scores {@code Σ weight / (k + rank)} over the rankings it appears
 * in (rank 1-based). It ignores how sure each retriever is, so a weaker retriever's order pulls a strong one's
 * clear first hit down. {@link Method#DISTRIBUTION} (scores mapped from mean ± 3σ to [0, 1], clipped, as Qdrant's DBSF)
 * and {@link Method#MINMAX} are the other score normalizations measured against it.
 *
 * @param k            RRF's damping constant: larger k flattens the advantage of top ranks (Cormack et al. use 60)
 * @param textWeight   weight of the BM25 ranking
 * @param vectorWeight weight of the kNN ranking
 * @param method       how the two are combined
 */
public record HybridFusion(int k, double textWeight, double vectorWeight, Method method) {

    public enum Method {
        /** Reciprocal rank fusion. */
        RRF,
        /** Distribution-based score fusion: scores normalized by their mean and standard deviation. */
        DISTRIBUTION,
        /** Standard scores, (score − mean) / σ, summed; reported through the logistic function. */
        ZSCORE,
        /** Scores mapped from [min, max] of the candidates to [0, 1]. */
        MINMAX
    }

    public static final int DEFAULT_K = 60;
    public static final Method DEFAULT_METHOD = Method.ZSCORE;
    public static final HybridFusion DEFAULT = new HybridFusion(DEFAULT_K, 1, 1, DEFAULT_METHOD);

    public HybridFusion(int k, double textWeight, double vectorWeight) {
        this(k, textWeight, vectorWeight, Method.RRF);
    }

    public HybridFusion {
        java.util.Objects.requireNonNull(method, "method");
        if (k < 0) {
            throw new IllegalArgumentException("RRF k must not be negative, got " + k);
        }
        if (!(textWeight >= 0) || !(vectorWeight >= 0)) {
            throw new IllegalArgumentException("RRF weights must be non-negative numbers, got text " + textWeight
                    + " and vector " + vectorWeight);
        }
    }

    /**
     * Fusion that leans toward one retriever: {@code vectorWeight} of 0 trusts BM25 alone, 1 kNN alone, 0.5 both
     * equally. The weights are scaled so that 0.5 is {@link #DEFAULT} exactly, which keeps fused scores (and the
     * minimum scores clients chose for them) comparable across weights.
     */
    public static HybridFusion weighted(double vectorWeight) {
        if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
            throw new IllegalArgumentException("the vector weight must be between 0 (BM25 only) and 1 (kNN only), got "
                    + vectorWeight);
        }
        return new HybridFusion(DEFAULT_K, 2 * (1 - vectorWeight), 2 * vectorWeight, DEFAULT_METHOD);
    }

    public HybridFusion withMethod(Method method) {
        return new HybridFusion(k, textWeight, vectorWeight, method);
    }

    /** One fused entry; a rank of 0 means the key was absent from that ranking. */
    public record Fused<K>(K key, double score, int textRank, int vectorRank) {

        int bestRank() {
            return Math.min(textRank == 0 ? Integer.MAX_VALUE : textRank,
                    vectorRank == 0 ? Integer.MAX_VALUE : vectorRank);
        }
    }

    /**
     * Fuses two rankings (best first, no duplicates within one) into one, best first. Ties in score go to the
     * key with the better single rank, then to the text ranking's order, so results are deterministic.
     */
    public <K> List<Fused<K>> fuse(List<K> textRanking, List<K> vectorRanking) {
        Map<K, int[]> ranks = new LinkedHashMap<>();
        for (int i = 0; i < textRanking.size(); i++) {
            ranks.computeIfAbsent(textRanking.get(i), key -> new int[2])[0] = i + 1;
        }
        for (int i = 0; i < vectorRanking.size(); i++) {
            ranks.computeIfAbsent(vectorRanking.get(i), key -> new int[2])[1] = i + 1;
        }
        var fused = new ArrayList<Fused<K>>(ranks.size());
        ranks.forEach((key, rank) -> fused.add(new Fused<>(key,
                contribution(textWeight, rank[0]) + contribution(vectorWeight, rank[1]), rank[0], rank[1])));
        // List.sort is stable: equal entries keep insertion order, text ranking first.
        fused.sort(Comparator.comparingDouble((Fused<K> f) -> f.score()).reversed()
                .thenComparingInt(Fused::bestRank));
        return fused;
    }

    /**
     * Fuses two rankings with their scores (best first, no duplicates within one, one score per key) by this fusion's
     * {@link #method}.
     */
    public <K> List<Fused<K>> fuse(List<K> textRanking, double[] textScores, List<K> vectorRanking,
            double[] vectorScores) {
        if (method == Method.RRF) {
            return fuse(textRanking, vectorRanking);
        }
        double[] text = normalized(textScores, method);
        double[] vector = normalized(vectorScores, method);
        Map<K, int[]> ranks = new LinkedHashMap<>();
        for (int i = 0; i < textRanking.size(); i++) {
            ranks.computeIfAbsent(textRanking.get(i), key -> new int[2])[0] = i + 1;
        }
        for (int i = 0; i < vectorRanking.size(); i++) {
            ranks.computeIfAbsent(vectorRanking.get(i), key -> new int[2])[1] = i + 1;
        }
        var fused = new ArrayList<Fused<K>>(ranks.size());
        ranks.forEach((key, rank) -> {
            double score = (rank[0] == 0 ? 0 : textWeight * text[rank[0] - 1])
                    + (rank[1] == 0 ? 0 : vectorWeight * vector[rank[1] - 1]);
            fused.add(new Fused<>(key, method == Method.ZSCORE ? 1 / (1 + Math.exp(-score)) : score, rank[0],
                    rank[1]));
        });
        fused.sort(Comparator.comparingDouble((Fused<K> f) -> f.score()).reversed()
                .thenComparingInt(Fused::bestRank));
        return fused;
    }

    /** Scores mapped from [mean − 3σ, mean + 3σ] to [0, 1], clipped; all 0.5 when they do not vary. */
    static double[] normalized(double[] scores) {
        return normalized(scores, Method.DISTRIBUTION);
    }

    static double[] normalized(double[] scores, Method method) {
        double[] out = new double[scores.length];
        if (scores.length == 0) {
            return out;
        }
        if (method == Method.MINMAX) {
            double min = Arrays.stream(scores).min().orElse(0);
            double max = Arrays.stream(scores).max().orElse(0);
            for (int i = 0; i < scores.length; i++) {
                out[i] = max == min ? 1 : (scores[i] - min) / (max - min);
            }
            return out;
        }
        double mean = 0;
        for (double score : scores) {
            mean += score;
        }
        mean /= scores.length;
        double variance = 0;
        for (double score : scores) {
            variance += (score - mean) * (score - mean);
        }
        double sigma = Math.sqrt(variance / scores.length);
        for (int i = 0; i < scores.length; i++) {
            if (method == Method.ZSCORE) {
                out[i] = sigma == 0 ? 0 : (scores[i] - mean) / sigma;
            } else {
                out[i] = sigma == 0 ? 0.5 : Math.clamp((scores[i] - (mean - 3 * sigma)) / (6 * sigma), 0, 1);
            }
        }
        return out;
    }

    private double contribution(double weight, int rank) {
        return rank == 0 ? 0 : weight / (k + rank);
    }
}
