package dev.hanul.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * VADER's compound sentiment of the question and the answer, as LangKit reports it. VADER reads English only, so a
 * text that is mostly Hangul gets no score rather than a misleading neutral one.
 */
@Component
@Order(2)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class SentimentScorer implements QualityScorer {

    private final VaderSentiment vader = VaderSentiment.load();

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        var scores = new LinkedHashMap<String, Double>();
        String question = interaction.note() == null ? null : interaction.note().question();
        put(scores, "question_sentiment", question);
        put(scores, "response_sentiment", interaction.response());
        return scores;
    }

    private void put(Map<String, Double> scores, String name, String text) {
        if (text != null && !text.isBlank() && TextStatistics.of(text).hangulShare() < 0.5) {
            scores.put(name, vader.compound(text));
        }
    }
}
