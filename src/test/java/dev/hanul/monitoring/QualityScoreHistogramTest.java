package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class QualityScoreHistogramTest {

    @Test
    void scoresLandInTheBucketOfTheirValueNotInTheLast() throws IOException {
        var registry = new PrometheusRegistry();
        var beans = new StaticListableBeanFactory();
        beans.addBean("prometheus", registry);
        var histogram = new QualityScoreHistogram(beans.getBeanProvider(PrometheusRegistry.class));

        histogram.record("relevance", "m@1", 0.15);
        histogram.record("relevance", "m@1", 0.3);
        histogram.record("relevance", "m@1", 0.93);
        histogram.record("relevance", "m@1", Double.NaN);

        var out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        PrometheusScrape scrape = PrometheusScrape.parse(out.toString(StandardCharsets.UTF_8));
        String[] labels = {"score", "relevance", "model_version", "m@1"};
        assertThat(bucket(scrape, "0.1", labels)).isZero();
        assertThat(bucket(scrape, "0.2", labels)).isEqualTo(1);
        assertThat(bucket(scrape, "0.3", labels)).isEqualTo(2);
        assertThat(bucket(scrape, "0.9", labels)).isEqualTo(2);
        assertThat(bucket(scrape, "1.0", labels)).isEqualTo(3);
        assertThat(scrape.value("hanul_quality_score_count", labels)).isEqualTo(3);
        assertThat(scrape.value("hanul_quality_score_sum", labels)).isCloseTo(1.38, offset(1e-9));
    }

    private static double bucket(PrometheusScrape scrape, String le, String... labels) {
        String[] withLe = Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        withLe[labels.length + 1] = le;
        return scrape.value("hanul_quality_score_bucket", withLe);
    }
}
