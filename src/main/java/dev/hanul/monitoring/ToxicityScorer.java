package dev.hanul.monitoring;

import java.util.Map;
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

    private final ObjectProvider<ToxicityModel> model;
    private final QualityScoreHistogram histogram;

    ToxicityScorer(ObjectProvider<ToxicityModel> model, QualityScoreHistogram histogram) {
        this.model = model;
        this.histogram = histogram;
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
        histogram.record("toxicity", version, score);
        return Map.of("toxicity", score);
    }
}
