package dev.hanul.monitoring;

import dev.hanul.embedding.Embedder;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Scores that need embeddings (the service's {@link Embedder}, all-MiniLM-L6-v2): relevance of the answer to the
 * question (cosine), jailbreak similarity of the question and refusal similarity of the answer (highest cosine to
 * the curated sets in {@code monitoring/*.txt}). It also feeds drift: the question's embedding and each score.
 * Scores are exported as distributions, {@code hanul_quality_score{score, model_version}}.
 */
@Component
@Order(2)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = {"enabled", "embedding-scores"}, matchIfMissing = true)
class EmbeddingScorer implements QualityScorer {

    /** Longer texts are cut: the embedder reads at most 256 tokens anyway. */
    private static final int MAX_CHARS = 2000;
    /** Micrometer takes positive boundaries only: cosines at or below 0.05 (rare, and as bad) share the first. */
    private static final double[] SCORE_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    private final Embedder embedder;
    private final DriftMonitor drift;
    private final MeterRegistry registry;
    private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
    private volatile ExampleSet jailbreaks;
    private volatile ExampleSet refusals;

    EmbeddingScorer(Embedder embedder, MonitoringProperties properties, MeterRegistry registry) {
        this.embedder = embedder;
        this.registry = registry;
        this.drift = new DriftMonitor(properties.drift(), embedder.dimension(), registry);
    }

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        String question = interaction.note() == null ? null : interaction.note().question();
        String answer = interaction.response();
        var texts = new ArrayList<String>();
        if (question != null && !question.isBlank()) {
            texts.add(cut(question));
        }
        if (!answer.isBlank()) {
            texts.add(cut(answer));
        }
        if (texts.isEmpty()) {
            return Map.of();
        }
        List<float[]> embedded = embedder.embed(texts);
        float[] q = question != null && !question.isBlank() ? embedded.getFirst() : null;
        float[] a = answer.isBlank() ? null : embedded.getLast();
        var scores = new LinkedHashMap<String, Double>();
        if (q != null) {
            scores.put("jailbreak_similarity", jailbreaks().maxSimilarity(q));
            drift.addPromptEmbedding(q);
        }
        if (a != null) {
            scores.put("refusal_similarity", refusals().maxSimilarity(a));
        }
        if (q != null && a != null) {
            scores.put("relevance", ExampleSet.cosine(q, a));
        }
        String version = interaction.request().version();
        scores.forEach((name, value) -> {
            drift.addScore(name, value);
            summary(name, version).record(value);
        });
        return scores;
    }

    DriftMonitor drift() {
        return drift;
    }

    private DistributionSummary summary(String score, String version) {
        return summaries.computeIfAbsent(score + '\u0000' + version, k -> DistributionSummary
                .builder("hanul.quality.score").tag("score", score).tag("model_version", version)
                .serviceLevelObjectives(SCORE_BUCKETS).description("Quality scores of answers, by score")
                .register(registry));
    }

    private ExampleSet jailbreaks() {
        if (jailbreaks == null) {
            jailbreaks = new ExampleSet("/monitoring/jailbreak-examples.txt", embedder);
        }
        return jailbreaks;
    }

    private ExampleSet refusals() {
        if (refusals == null) {
            refusals = new ExampleSet("/monitoring/refusal-examples.txt", embedder);
        }
        return refusals;
    }

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
    }
}
