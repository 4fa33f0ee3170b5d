package dev.hanul.monitoring;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * How much of a RAG answer its retrieved passages support ({@link Groundedness}), stored as {@code groundedness} and
 * exported with the other scores in [0, 1]. Answers without retrieval get no score.
 */
@Component
@Order(1)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class GroundednessScorer implements QualityScorer {

    private final QualityScoreHistogram histogram;

    GroundednessScorer(QualityScoreHistogram histogram) {
        this.histogram = histogram;
    }

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        InteractionNote note = interaction.note();
        if (note == null || note.passages().isEmpty()) {
            return Map.of();
        }
        Double share = Groundedness.share(interaction.response(), note.passages());
        if (share == null) {
            return Map.of();
        }
        histogram.record("groundedness", interaction.request().version(), share);
        return Map.of("groundedness", share);
    }
}
