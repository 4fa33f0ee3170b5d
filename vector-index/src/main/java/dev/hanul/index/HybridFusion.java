package dev.hanul.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion of a BM25 ranking and a kNN ranking: a hit scores {@code Σ weight / (k + rank)} over the
 * rankings it appears in (rank 1-based). Ranks rather than scores are fused because BM25 scores are unbounded and
 * vector similarities are not, so their raw values do not compare.
 *
 * @param k            damping constant: larger k flattens the advantage of top ranks (Cormack et al. use 60)
 * @param textWeight   weight of the BM25 ranking
 * @param vectorWeight weight of the kNN ranking
 */
public record HybridFusion(int k, double textWeight, double vectorWeight) {

    public static final int DEFAULT_K = 60;
    public static final HybridFusion DEFAULT = new HybridFusion(DEFAULT_K, 1, 1);

    public HybridFusion {
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
        return new HybridFusion(DEFAULT_K, 2 * (1 - vectorWeight), 2 * vectorWeight);
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

    private double contribution(double weight, int rank) {
        return rank == 0 ? 0 : weight / (k + rank);
    }
}
