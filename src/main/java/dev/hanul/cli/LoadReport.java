package dev.hanul.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The summary of a load run as a Markdown table, ready for docs/benchmarks.md: requests ok and failed, time to first
 * token and inter-token latency percentiles, total output tokens/s and the tokens/s each request saw.
 */
record LoadReport(List<LoadOutcome> outcomes, double wallSeconds) {

    long ok() {
        return outcomes.stream().filter(LoadOutcome::ok).count();
    }

    long failed() {
        return outcomes.size() - ok();
    }

    long outputTokens() {
        return outcomes.stream().filter(LoadOutcome::ok).mapToLong(LoadOutcome::tokens).sum();
    }

    double outputTokensPerSecond() {
        return outputTokens() / wallSeconds;
    }

    /** Time to first token at {@code percentile}, in milliseconds; NaN when no request succeeded. */
    double firstTokenMillis(int percentile) {
        long[] ttft = firstTokens();
        return ttft.length == 0 ? Double.NaN : ttft[rank(ttft.length, percentile)] / 1e6;
    }

    private long[] firstTokens() {
        return outcomes.stream().filter(LoadOutcome::ok).mapToLong(LoadOutcome::firstToken).sorted().toArray();
    }

    void print(PrintWriter out, String title) {
        long[] ttft = firstTokens();
        long[] itl = outcomes.stream().filter(LoadOutcome::ok)
                .flatMapToLong(o -> Arrays.stream(o.interTokenLatencies())).sorted().toArray();
        double[] perRequest = outcomes.stream().filter(LoadOutcome::ok).mapToDouble(LoadOutcome::tokensPerSecond)
                .filter(Double::isFinite).sorted().toArray();
        out.printf("## %s%n%n", title);
        out.println("| requests ok | failed | wall time | output tokens | output tokens/s | TTFT p50 | TTFT p90 "
                + "| TTFT p99 | ITL p50 | ITL p99 | per-request tokens/s p50 | p10 |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        out.printf("| %d | %d | %.1f s | %d | %.1f | %s | %s | %s | %s | %s | %.1f | %.1f |%n", ok(), failed(),
                wallSeconds, outputTokens(), outputTokensPerSecond(), millis(ttft, 50), millis(ttft, 90),
                millis(ttft, 99), millis(itl, 50), millis(itl, 99), percentile(perRequest, 50),
                percentile(perRequest, 10));
        Map<String, Integer> errors = new TreeMap<>();
        outcomes.stream().filter(o -> !o.ok()).forEach(o -> errors.merge(o.error(), 1, Integer::sum));
        errors.forEach((error, count) -> out.printf("%n%d× %s%n", count, error));
        out.flush();
    }

    private static String millis(long[] sortedNanos, int percentile) {
        return sortedNanos.length == 0 ? "-"
                : "%.1f ms".formatted(sortedNanos[rank(sortedNanos.length, percentile)] / 1e6);
    }

    private static double percentile(double[] sorted, int percentile) {
        return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, percentile)];
    }

    /** Nearest rank: the smallest value with at least {@code percentile}% of the values at or below it. */
    private static int rank(int count, int percentile) {
        return Math.max(0, (int) Math.ceil(percentile / 100.0 * count) - 1);
    }
}
