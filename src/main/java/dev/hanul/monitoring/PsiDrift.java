package dev.hanul.monitoring;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The population stability index of a recent window of observations against a baseline, for observations of a few
 * dimensions (each is binned on its own and the PSIs are averaged). The first {@code baselineSize} observations form
 * the baseline; its quantiles cut each dimension into {@code bins} equal-mass bins; the window is the last
 * {@code windowSize} observations. PSI = Σ (recent − base) · ln(recent / base) over the bins, with empty bins
 * smoothed so that it stays finite. Thread-safe: observations and reads are synchronized (one writer, the scraper).
 */
final class PsiDrift {

    private static final double SMOOTHING = 1e-4;

    private final int dimensions;
    private final int baselineSize;
    private final int windowSize;
    private final int bins;
    private final double[][] baseline;
    private final ArrayDeque<double[]> window = new ArrayDeque<>();
    private int baselineCount;
    private double[][] edges;
    private double[][] baseShare;

    PsiDrift(int dimensions, int baselineSize, int windowSize, int bins) {
        if (baselineSize < bins || windowSize < bins) {
            throw new IllegalArgumentException("baseline (%d) and window (%d) need at least one observation per bin "
                    + "(%d)".formatted(baselineSize, windowSize, bins));
        }
        this.dimensions = dimensions;
        this.baselineSize = baselineSize;
        this.windowSize = windowSize;
        this.bins = bins;
        this.baseline = new double[dimensions][baselineSize];
    }

    synchronized void add(double[] observation) {
        if (observation.length != dimensions) {
            throw new IllegalArgumentException("expected " + dimensions + " values, got " + observation.length);
        }
        if (baselineCount < baselineSize) {
            for (int d = 0; d < dimensions; d++) {
                baseline[d][baselineCount] = observation[d];
            }
            if (++baselineCount == baselineSize) {
                freezeBaseline();
            }
            return;
        }
        window.addLast(observation.clone());
        if (window.size() > windowSize) {
            window.removeFirst();
        }
    }

    /** The mean PSI over the dimensions; NaN until the baseline and a full window are there. */
    synchronized double psi() {
        if (edges == null || window.size() < windowSize) {
            return Double.NaN;
        }
        double sum = 0;
        for (int d = 0; d < dimensions; d++) {
            int[] counts = new int[bins];
            for (double[] observation : window) {
                counts[bin(edges[d], observation[d])]++;
            }
            for (int b = 0; b < bins; b++) {
                double recent = Math.max((double) counts[b] / window.size(), SMOOTHING);
                double base = Math.max(baseShare[d][b], SMOOTHING);
                sum += (recent - base) * Math.log(recent / base);
            }
        }
        return sum / dimensions;
    }

    private void freezeBaseline() {
        edges = new double[dimensions][];
        baseShare = new double[dimensions][bins];
        for (int d = 0; d < dimensions; d++) {
            double[] sorted = baseline[d].clone();
            Arrays.sort(sorted);
            double[] cuts = new double[bins - 1];
            for (int b = 1; b < bins; b++) {
                cuts[b - 1] = sorted[(int) ((long) b * sorted.length / bins)];
            }
            edges[d] = cuts;
            for (double value : baseline[d]) {
                baseShare[d][bin(cuts, value)] += 1.0 / baselineSize;
            }
        }
    }

    /** The bin of a value: how many cuts lie at or below it. */
    private static int bin(double[] cuts, double value) {
        int index = Arrays.binarySearch(cuts, value);
        if (index >= 0) {
            while (index + 1 < cuts.length && cuts[index + 1] == value) {
                index++;
            }
            return index + 1;
        }
        return -index - 1;
    }
}
