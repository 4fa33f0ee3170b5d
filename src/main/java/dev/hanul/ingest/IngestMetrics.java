package dev.hanul.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Ingestion timings and counts for /actuator/prometheus: {@code hanul_ingest_stage_seconds{stage=parse|clean|redact|
 * chunk|embed|guard|index}} (guard: the injection check of each chunk), {@code hanul_ingest_documents_total{outcome}}
 * and {@code hanul_ingest_chunks_total}; the ingestion benchmark reads its per-stage shares from the same timers.
 */
@Component
public class IngestMetrics {

    public static final String STAGE_TIMER = "hanul.ingest.stage";

    private final MeterRegistry registry;
    private final Counter chunks;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.chunks = Counter.builder("hanul.ingest.chunks").description("Chunks indexed").register(registry);
    }

    <T> T time(String stage, Supplier<T> work) {
        return stageTimer(stage).record(work);
    }

    void documentFinished(JobDocument.Status outcome, int chunkCount) {
        Counter.builder("hanul.ingest.documents").description("Documents processed, by outcome")
                .tag("outcome", outcome.name().toLowerCase()).register(registry).increment();
        chunks.increment(chunkCount);
    }

    public Timer stageTimer(String stage) {
        return Timer.builder(STAGE_TIMER).description("Time spent in each ingestion stage").tag("stage", stage)
                .register(registry);
    }
}
