package dev.hanul.monitoring;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The answer's toxicity (the {@link ToxicityModel}: the toxic-comment BiLSTM the guardrails run), stored as the
 * score {@code toxicity} and exported with the other quality scores as {@code hanul_quality_score{score="toxicity"}}.
 */
@Component
@Order(3)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class ToxicityScorer implements QualityScorer {

    /** The same boundaries as the other scores: one metric, one set of buckets. */
    private static final double[] BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    private final ObjectProvider<ToxicityModel> model;
    private final MeterRegistry registry;
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();

    ToxicityScorer(ObjectProvider<ToxicityModel> model, MeterRegistry registry) {
        this.model = model;
        this.registry = registry;
    }

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        ToxicityModel toxicity = model.getIfAvailable();
        if (toxicity == null || interaction.response().isBlank()) {
            return Map.of();
        }
        double score = toxicity.toxicity(interaction.response());
        if (Double.isNaN(score)) {
            return Map.of();
        }
        String version = interaction.request().version();
        summaries.computeIfAbsent(version, v -> DistributionSummary.builder("hanul.quality.score")
                .tag("score", "toxicity").tag("model_version", v).serviceLevelObjectives(BUCKETS)
                .description("Quality scores of answers, by score").register(registry)).record(score);
        return Map.of("toxicity", score);
    }
}
