package dev.hanul.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Two or more runs side by side: per metric, each run's mean over the items every run scored, and each run's
 * difference from the first with the paired randomization test's p-value, so that "B is better" comes with the odds
 * of it being luck.
 *
 * @param runs    the runs' ids, the first being the baseline
 * @param items   how many items all runs scored
 * @param metrics metric → its comparison
 */
record RunComparison(List<String> runs, int items, Map<String, Metric> metrics) {

    /** The seed of the randomization test, fixed so that a comparison reads the same each time. */
    static final long SEED = 20261203L;

    /**
     * @param means       per run, in the order of {@code runs}
     * @param differences per run after the first: its mean minus the baseline's
     * @param pValues     per run after the first: the two-sided p-value of that difference
     */
    record Metric(List<Double> means, List<Double> differences, List<Double> pValues) {
    }

    /** @param scores per run (in order): item id → metric → value */
    static RunComparison of(List<String> runs, List<Map<String, Map<String, Double>>> scores) {
        var metricNames = new TreeSet<String>();
        scores.forEach(run -> run.values().forEach(item -> metricNames.addAll(item.keySet())));
        Map<String, Metric> metrics = new LinkedHashMap<>();
        int common = 0;
        for (String metric : metricNames) {
            List<String> items = scores.getFirst().keySet().stream()
                    .filter(item -> scores.stream().allMatch(run -> run.containsKey(item)
                            && run.get(item).containsKey(metric)))
                    .sorted().toList();
            if (items.isEmpty()) {
                continue; // a metric no item has in every run compares nothing
            }
            common = Math.max(common, items.size());
            List<double[]> values = scores.stream().map(run -> items.stream()
                    .mapToDouble(item -> run.get(item).get(metric)).toArray()).toList();
            List<Double> means = values.stream().map(RunComparison::mean).toList();
            List<Double> differences = new ArrayList<>();
            List<Double> pValues = new ArrayList<>();
            for (int r = 1; r < values.size(); r++) {
                differences.add(means.get(r) - means.getFirst());
                pValues.add(PairedTest.pValue(values.getFirst(), values.get(r), SEED));
            }
            metrics.put(metric, new Metric(means, differences, pValues));
        }
        return new RunComparison(runs, common, metrics);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
