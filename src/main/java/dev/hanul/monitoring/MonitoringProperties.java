package dev.hanul.monitoring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Monitoring of requests, under {@code hanul.monitoring.}.
 *
 * @param enabled          false turns off request metrics, the interaction log, quality scores and drift (the
 *                         engine's own gauges stay): the "monitoring off" side of the overhead benchmark
 * @param maxModelVersions the most model versions that get their own series; later ones share the version label
 *                         {@code other}, so a registry that loads many versions cannot grow the scrape without bound
 * @param embeddingScores  false turns off the scores that embed texts (relevance, jailbreak and refusal
 *                         similarity) and with them drift: on a machine with few cores, embedding competes with
 *                         generation for the CPU
 * @param interactions     the interaction log
 * @param drift            drift of the prompts (embeddings) and of the quality scores against a baseline
 */
@ConfigurationProperties("hanul.monitoring")
public record MonitoringProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("16") int maxModelVersions,
        @DefaultValue("true") boolean embeddingScores,
        @DefaultValue Interactions interactions,
        @DefaultValue Drift drift) {

    /**
     * @param storePrompt    whether the prompt as sent to the model (template, sources and all) is stored; the
     *                       question and the answer are always stored
     * @param retention      records older than this are deleted (hourly)
     * @param queueCapacity  records waiting to be written; beyond it new records are dropped and counted
     *                       ({@code hanul_interactions_dropped_total}), so a slow database never slows answers
     * @param redactPii      whether personal data (e-mail, phone, card, SSN, RRN, address) in the stored question,
     *                       prompt and answer is replaced by its kind ({@code [EMAIL]}) before the record is written
     */
    public record Interactions(
            @DefaultValue("true") boolean storePrompt,
            @DefaultValue("30d") Duration retention,
            @DefaultValue("10000") int queueCapacity,
            @DefaultValue("true") boolean redactPii) {
    }

    /**
     * PSI (population stability index) of a recent window against a baseline window. Prompt embeddings are projected
     * on {@code projections} fixed random directions and the PSI is averaged over them.
     *
     * @param baselineSize the first this many interactions after start form the baseline
     * @param windowSize   the recent window: the last this many interactions
     * @param bins         equal-mass bins, cut at the baseline's quantiles
     * @param threshold    the PSI above which the drift alert fires (0.1 to 0.25 is the usual "watch" band; the
     *                     expected PSI of an unshifted stream is about (bins - 1) / windowSize + (bins - 1) /
     *                     baselineSize)
     */
    public record Drift(
            @DefaultValue("500") int baselineSize,
            @DefaultValue("200") int windowSize,
            @DefaultValue("10") int bins,
            @DefaultValue("16") int projections,
            @DefaultValue("0.25") double threshold) {
    }
}
