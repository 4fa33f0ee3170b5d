package dev.hanul.inference;

import dev.hanul.engine.EngineStats;
import dev.hanul.inference.ModelState.Phase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The engine's state for /actuator/prometheus, named after the vLLM gauges people already graph:
 * {@code hanul_engine_requests_running}, {@code _waiting}, {@code hanul_engine_kv_cache_usage_ratio},
 * {@code hanul_engine_prefix_cache_hit_ratio}, and counters of requests, tokens and preemptions. Each scrape reads
 * the engine's latest snapshot; while no model is loaded the values are NaN (absent from graphs, not a false zero).
 */
@Component
class EngineMetrics implements MeterBinder {

    private final ServedModel served;

    EngineMetrics(ServedModel served) {
        this.served = served;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "hanul.engine.requests.running", "Sequences decoding or prefilling", EngineStats::running);
        gauge(registry, "hanul.engine.requests.waiting", "Sequences queued or preempted", EngineStats::waiting);
        gauge(registry, "hanul.engine.kv.cache.usage.ratio", "KV blocks in use over all blocks",
                EngineStats::kvCacheUsage);
        gauge(registry, "hanul.engine.kv.blocks.cached", "Unreferenced KV blocks kept for the prefix cache",
                EngineStats::kvBlocksCached);
        gauge(registry, "hanul.engine.prefix.cache.hit.ratio", "Prompt tokens found in the prefix cache, since start",
                EngineStats::prefixCacheHitRate);
        counter(registry, "hanul.engine.requests.submitted", "Requests accepted", EngineStats::requestsSubmitted);
        counter(registry, "hanul.engine.requests.finished", "Requests finished, any reason",
                EngineStats::requestsFinished);
        counter(registry, "hanul.engine.requests.rejected", "Requests refused because the queue was full",
                EngineStats::requestsRejected);
        counter(registry, "hanul.engine.prompt.tokens", "Tokens computed for prompts and recomputation",
                EngineStats::prefillTokens);
        counter(registry, "hanul.engine.generation.tokens", "Tokens computed by decoding", EngineStats::decodeTokens);
        counter(registry, "hanul.engine.preemptions", "Sequences preempted because KV blocks ran out",
                EngineStats::preemptions);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<EngineStats> value) {
        Gauge.builder(name, this, metrics -> metrics.read(value)).description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<EngineStats> value) {
        FunctionCounter.builder(name, this, metrics -> metrics.read(value)).description(description)
                .register(registry);
    }

    private double read(ToDoubleFunction<EngineStats> value) {
        if (served.state().phase() != Phase.READY) {
            return Double.NaN;
        }
        try {
            return value.applyAsDouble(served.engine().stats());
        } catch (InferenceFailure.ModelNotReady stoppedMeanwhile) {
            return Double.NaN;
        }
    }
}
