package dev.hanul.monitoring;

import dev.hanul.embedding.Embedder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Scores that need embeddings (the service's {@link Embedder}): relevance of the answer to the question (cosine),
 * relevance of the retrieved passages to the question (their mean cosine, {@code context_relevance}), jailbreak
 * similarity of the question and refusal similarity of the answer (highest cosine to the curated sets in
 * {@code monitoring/*.txt}). It also feeds drift: the question's embedding and each score.
 * Scores are exported as distributions, {@code hanul_quality_score{score, model_version}}.
 */
@Component
@Order(2)
@ConditionalOnProperty(prefix = "hanul.monitoring", name = {"enabled", "embedding-scores"}, matchIfMissing = true)
class EmbeddingScorer implements QualityScorer, DisposableBean {

    /** Longer texts are cut: the embedder reads at most 256 tokens anyway. */
    private static final int MAX_CHARS = 2000;

    private final Embedder served;
    private final DriftMonitor drift;
    private final QualityScoreHistogram histogram;
    /**
     * The service's model in a session of its own that computes on the calling thread, the interaction log's writer,
     * which runs at the lowest priority; opened on first use. The service's session would run on ONNX Runtime's
     * worker threads at normal priority, competing with generation.
     */
    private Embedder embedder;
    private ExampleSet jailbreaks;
    private ExampleSet refusals;

    EmbeddingScorer(Embedder served, MonitoringProperties properties, QualityScoreHistogram histogram,
            MeterRegistry registry) {
        this.served = served;
        this.histogram = histogram;
        this.drift = new DriftMonitor(properties.drift(), served.dimension(), registry);
    }

    @Override
    public Map<String, Double> score(InteractionLog.Finished interaction) {
        String question = interaction.note() == null ? null : interaction.note().question();
        String answer = interaction.response();
        boolean asked = question != null && !question.isBlank();
        boolean answered = !answer.isBlank();
        // one embedding call for the question, the answer and (when there is a question) the passages, in order
        var texts = new ArrayList<String>();
        if (asked) {
            texts.add(cut(question));
        }
        if (answered) {
            texts.add(cut(answer));
        }
        int passagesFrom = texts.size();
        if (asked && interaction.note() != null) {
            interaction.note().passages().forEach(passage -> texts.add(cut(passage)));
        }
        if (texts.isEmpty()) {
            return Map.of();
        }
        List<float[]> embedded = embedder().embed(texts);
        float[] q = asked ? embedded.getFirst() : null;
        float[] a = answered ? embedded.get(passagesFrom - 1) : null;
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
        List<float[]> passages = embedded.subList(passagesFrom, embedded.size());
        if (!passages.isEmpty()) {
            scores.put("context_relevance",
                    passages.stream().mapToDouble(passage -> ExampleSet.cosine(q, passage)).average().orElseThrow());
        }
        String version = interaction.request().version();
        scores.forEach((name, value) -> {
            drift.addScore(name, value);
            histogram.record(name, version, value);
        });
        return scores;
    }

    DriftMonitor drift() {
        return drift;
    }

    private synchronized Embedder embedder() {
        if (embedder == null) {
            embedder = served.onCallingThread();
        }
        return embedder;
    }

    @Override
    public synchronized void destroy() {
        if (embedder != null) {
            embedder.close();
        }
    }

    private ExampleSet jailbreaks() {
        if (jailbreaks == null) {
            jailbreaks = new ExampleSet("/monitoring/jailbreak-examples.txt", embedder());
        }
        return jailbreaks;
    }

    private ExampleSet refusals() {
        if (refusals == null) {
            refusals = new ExampleSet("/monitoring/refusal-examples.txt", embedder());
        }
        return refusals;
    }

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS);
    }
}
