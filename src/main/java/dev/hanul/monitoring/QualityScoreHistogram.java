package dev.hanul.monitoring;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The distributions of the scores in [0, 1] ({@code hanul_quality_score{score, model_version}}), exported through the
 * Prometheus registry itself rather than a Micrometer {@code DistributionSummary}: Micrometer's fixed-boundary
 * histogram rounds a recorded double up to the next whole number before it finds the bucket, so every score below 1
 * landed in {@code le="1.0"}. Without a Prometheus registry (export turned off) nothing is recorded.
 */
@Component
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class QualityScoreHistogram {

    /** Cosines at or below 0.05 (rare, and as bad) share the first bucket. */
    private static final double[] BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    private final Histogram histogram;

    QualityScoreHistogram(ObjectProvider<PrometheusRegistry> prometheus) {
        PrometheusRegistry registry = prometheus.getIfAvailable();
        this.histogram = registry == null ? null : Histogram.builder().name("hanul_quality_score")
                .help("Quality scores of answers, by score").labelNames("score", "model_version")
                .classicOnly().classicUpperBounds(BUCKETS).register(registry);
    }

    void record(String score, String modelVersion, double value) {
        if (histogram != null && Double.isFinite(value)) {
            histogram.labelValues(score, modelVersion).observe(value);
        }
    }
}
