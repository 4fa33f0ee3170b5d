package dev.hanul.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Text statistics of the answer and personal data found in the question and the answer. */
@Component
@Order(1)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class TextScorer implements QualityScorer {

    private final PiiFinder pii = new PiiFinder();

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        var scores = new LinkedHashMap<String, Double>();
        TextStatistics response = TextStatistics.of(interaction.response());
        scores.put("response_characters", (double) response.characters());
        scores.put("response_words", (double) response.words());
        if (Double.isFinite(response.readingEase())) {
            scores.put("response_reading_ease", response.readingEase());
        }
        scores.put("response_hangul_share", response.hangulShare());
        String question = interaction.note() == null ? null : interaction.note().question();
        scores.put("pii_question", (double) pii.find(question).size());
        scores.put("pii_response", (double) pii.find(interaction.response()).size());
        return scores;
    }
}
