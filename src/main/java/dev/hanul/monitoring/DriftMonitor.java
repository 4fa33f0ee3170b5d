package dev.hanul.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drift gauges: {@code hanul_drift_psi{signal}} (the PSI of the recent window against the baseline) and
 * {@code hanul_drift_threshold{signal}} (where the shipped alert fires). Signals: {@code prompt_embedding} (prompt
 * embeddings projected on fixed random directions) and one per quality score ({@code score_relevance}, …). Fed by
 * the scorers on the interaction log's writer thread.
 */
final class DriftMonitor {

    static final String PROMPT_EMBEDDING = "prompt_embedding";
    /** Fixed, so that a restart projects on the same directions. */
    private static final long SEED = 0x4a4e554cL;

    private final MonitoringProperties.Drift settings;
    private final MeterRegistry registry;
    private final float[][] directions;
    private final Map<String, PsiDrift> signals = new ConcurrentHashMap<>();

    DriftMonitor(MonitoringProperties.Drift settings, int embeddingDimension, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.directions = directions(settings.projections(), embeddingDimension);
    }

    void addPromptEmbedding(float[] embedding) {
        double[] projected = new double[directions.length];
        double norm = Math.sqrt(dot(embedding, embedding));
        for (int i = 0; i < directions.length; i++) {
            projected[i] = norm == 0 ? 0 : dot(directions[i], embedding) / norm;
        }
        signal(PROMPT_EMBEDDING, directions.length).add(projected);
    }

    void addScore(String name, double value) {
        if (Double.isFinite(value)) {
            signal("score_" + name, 1).add(new double[] {value});
        }
    }

    /** The signal's PSI now; NaN until its baseline and window are full, or for a signal never fed. */
    double psi(String signal) {
        PsiDrift drift = signals.get(signal);
        return drift == null ? Double.NaN : drift.psi();
    }

    private PsiDrift signal(String name, int dimensions) {
        return signals.computeIfAbsent(name, n -> {
            var drift = new PsiDrift(dimensions, settings.baselineSize(), settings.windowSize(), settings.bins());
            Gauge.builder("hanul.drift.psi", drift, PsiDrift::psi).tag("signal", n)
                    .description("Population stability index of the recent window against the baseline")
                    .register(registry);
            Gauge.builder("hanul.drift.threshold", settings, MonitoringProperties.Drift::threshold).tag("signal", n)
                    .description("hanul.monitoring.drift.threshold: the PSI where the drift alert fires")
                    .register(registry);
            return drift;
        });
    }

    private static float[][] directions(int count, int dimension) {
        var random = new SplittableRandom(SEED);
        float[][] result = new float[count][dimension];
        for (float[] direction : result) {
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                direction[i] = (float) gaussian(random);
                norm += direction[i] * direction[i];
            }
            for (int i = 0; i < dimension; i++) {
                direction[i] /= (float) Math.sqrt(norm);
            }
        }
        return result;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
