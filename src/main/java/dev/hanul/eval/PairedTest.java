package dev.hanul.eval;

import java.util.SplittableRandom;

/**
 * Whether two runs differ on the same items by more than chance: the paired randomization test (Fisher's sign-flip
 * permutation test) that IR evaluation uses (Smucker, Allan and Carterette, CIKM 2007). Under the null hypothesis the
 * label of each item's pair is exchangeable, so each per-item difference keeps or flips its sign at random; the
 * p-value is the share of relabellings whose mean difference is at least as far from zero as the observed one.
 */
final class PairedTest {

    static final int PERMUTATIONS = 10_000;

    private PairedTest() {
    }

    /**
     * @param a    per-item scores of the first run
     * @param b    per-item scores of the second run, for the same items in the same order
     * @param seed the relabellings' seed, so a comparison gives the same p-value each time
     * @return the two-sided p-value, with the observed labelling counted (so never 0)
     */
    static double pValue(double[] a, double[] b, long seed) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired runs need the same items: %d vs %d".formatted(a.length,
                    b.length));
        }
        int n = a.length;
        if (n == 0) {
            return 1;
        }
        double[] differences = new double[n];
        double observed = 0;
        for (int i = 0; i < n; i++) {
            differences[i] = b[i] - a[i];
            observed += differences[i];
        }
        observed = Math.abs(observed);
        var random = new SplittableRandom(seed);
        int asExtreme = 0;
        for (int p = 0; p < PERMUTATIONS; p++) {
            double sum = 0;
            for (double difference : differences) {
                sum += random.nextBoolean() ? difference : -difference;
            }
            // A tolerance: sums of the same terms in another order may differ in the last bits.
            if (Math.abs(sum) >= observed - 1e-12) {
                asExtreme++;
            }
        }
        return (asExtreme + 1.0) / (PERMUTATIONS + 1.0);
    }
}
