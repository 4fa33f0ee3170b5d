package dev.hanul.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HybridFusionTest {

    @Test
    void fusesRanksByReciprocalRankWithDefaultK() {
        // BM25 ranks A, B, C; kNN ranks C, A, D.
        var fused = HybridFusion.DEFAULT.fuse(List.of("A", "B", "C"), List.of("C", "A", "D"));

        assertThat(fused).extracting(HybridFusion.Fused::key).containsExactly("A", "C", "B", "D");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-15));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-15));
        assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-15));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-15));
        assertThat(fused.get(0)).extracting(HybridFusion.Fused::textRank, HybridFusion.Fused::vectorRank)
                .containsExactly(1, 2);
        assertThat(fused.get(2).vectorRank()).as("B is absent from the kNN ranking").isZero();
    }

    @Test
    void weightsAndKChangeTheOrder() {
        // Doubling the kNN weight lifts C (kNN rank 1) above A, and D (kNN rank 3) above B (BM25 rank 2).
        var fused = new HybridFusion(60, 1, 2).fuse(List.of("A", "B", "C"), List.of("C", "A", "D"));

        assertThat(fused).extracting(HybridFusion.Fused::key).containsExactly("C", "A", "D", "B");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 63 + 2.0 / 61, within(1e-15));
        assertThat(fused.get(2).score()).isCloseTo(2.0 / 63, within(1e-15));

        var smallK = new HybridFusion(1, 1, 1).fuse(List.of("A", "B"), List.of("B"));
        assertThat(smallK.getFirst().key()).isEqualTo("B");
        assertThat(smallK.getFirst().score()).isCloseTo(1.0 / 3 + 1.0 / 2, within(1e-15));
    }

    @Test
    void vectorWeightMovesBetweenTheTwoRankings() {
        // BM25 ranks A, B; kNN ranks B, A. Each weight end follows one ranking; the middle is the default fusion.
        List<String> text = List.of("A", "B");
        List<String> vector = List.of("B", "A");

        assertThat(HybridFusion.weighted(0).fuse(text, vector)).extracting(HybridFusion.Fused::key)
                .containsExactly("A", "B");
        assertThat(HybridFusion.weighted(1).fuse(text, vector)).extracting(HybridFusion.Fused::key)
                .containsExactly("B", "A");
        assertThat(HybridFusion.weighted(0.8).fuse(text, vector).getFirst().key()).isEqualTo("B");
        assertThat(HybridFusion.weighted(0.5)).isEqualTo(HybridFusion.DEFAULT);
        assertThat(HybridFusion.weighted(0.25).fuse(text, vector).getFirst().score())
                .isCloseTo(1.5 / 61 + 0.5 / 62, within(1e-15));
        assertThatThrownBy(() -> HybridFusion.weighted(1.5)).hasMessageContaining("between 0");
        assertThatThrownBy(() -> HybridFusion.weighted(Double.NaN)).hasMessageContaining("between 0");
    }

    @Test
    void tiesAreBrokenDeterministically() {
        var fused = HybridFusion.DEFAULT.fuse(List.of("X"), List.of("Y"));

        assertThat(fused).extracting(HybridFusion.Fused::key).containsExactly("X", "Y");
    }

    @Test
    void rejectsNegativeWeights() {
        assertThatThrownBy(() -> new HybridFusion(60, -1, 1)).hasMessageContaining("non-negative");
    }

    @Test
    void distributionFusionAddsEachRetrieversNormalizedScores() {
        // BM25: A stands far above B; kNN: B slightly above A. Ranks alone call it a tie (each is once 1st, once
        // 2nd); the scores say A, whose BM25 lead is large, against B's small kNN lead.
        var text = List.of("A", "B", "C");
        double[] textScores = {30, 6, 5};
        var vector = List.of("B", "A", "C");
        double[] vectorScores = {0.81, 0.80, 0.50};
        var fusion = HybridFusion.DEFAULT.withMethod(HybridFusion.Method.DISTRIBUTION);
        var fused = fusion.fuse(text, textScores, vector, vectorScores);
        assertThat(fused).extracting(HybridFusion.Fused::key).containsExactly("A", "B", "C");
        double[] t = HybridFusion.normalized(textScores);
        double[] v = HybridFusion.normalized(vectorScores);
        assertThat(fused.getFirst().score()).isCloseTo(t[0] + v[1], within(1e-12));
        var rrf = HybridFusion.DEFAULT.withMethod(HybridFusion.Method.RRF).fuse(text, textScores, vector, vectorScores);
        assertThat(rrf.get(0).score()).isEqualTo(rrf.get(1).score());
    }

    @Test
    void normalizedScoresSpanMeanPlusMinusThreeSigmaClipped() {
        double[] normalized = HybridFusion.normalized(new double[] {4, 2, 2, 0});
        // mean 2, sigma sqrt(2): 4 maps to (4 - (2 - 3√2)) / 6√2.
        assertThat(normalized[0]).isCloseTo((2 + 3 * Math.sqrt(2)) / (6 * Math.sqrt(2)), within(1e-12));
        assertThat(normalized[1]).isCloseTo(0.5, within(1e-12));
        assertThat(HybridFusion.normalized(new double[] {3, 3})).containsExactly(0.5, 0.5);
    }

    @Test
    void zScoreFusionSumsStandardScoresAndReportsThemBetweenZeroAndOne() {
        var text = List.of("A", "B", "C");
        double[] textScores = {30, 6, 5};
        var vector = List.of("B", "A", "D");
        double[] vectorScores = {0.81, 0.80, 0.50};
        var fused = HybridFusion.DEFAULT.fuse(text, textScores, vector, vectorScores);
        assertThat(HybridFusion.DEFAULT.method()).isEqualTo(HybridFusion.Method.ZSCORE);
        assertThat(fused).extracting(HybridFusion.Fused::key).containsExactly("A", "B", "C", "D");
        double[] t = HybridFusion.normalized(textScores, HybridFusion.Method.ZSCORE);
        double[] v = HybridFusion.normalized(vectorScores, HybridFusion.Method.ZSCORE);
        assertThat(t[0]).isCloseTo((30 - 41.0 / 3) / Math.sqrt((Math.pow(30 - 41.0 / 3, 2) + Math.pow(6 - 41.0 / 3, 2)
                + Math.pow(5 - 41.0 / 3, 2)) / 3), within(1e-12));
        assertThat(fused.getFirst().score()).isCloseTo(1 / (1 + Math.exp(-(t[0] + v[1]))), within(1e-12));
        // C is only in BM25, below its average: under 0.5.
        assertThat(fused.get(2).score()).isLessThan(0.5).isGreaterThan(0);
    }
}
