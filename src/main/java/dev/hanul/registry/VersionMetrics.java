package dev.hanul.registry;

import dev.hanul.engine.EngineStats;
import dev.hanul.inference.InferenceFailure;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * Each loaded version's engine for /actuator/prometheus, tagged {@code model} and {@code version} so that two
 * versions compare side by side, named after the vLLM gauges people already graph:
 * {@code hanul_engine_requests_running}, {@code _waiting}, {@code hanul_engine_kv_cache_usage_ratio},
 * {@code hanul_engine_prefix_cache_hit_ratio}, and counters of requests, tokens and preemptions. A version's meters
 * come when it is ready and go when it unloads.
 */
@Component
class VersionMetrics {

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    VersionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void bind(LoadedVersion version, String model, int number) {
        Tags tags = Tags.of("model", model, "version", Integer.toString(number));
        List<Meter> bound = new ArrayList<>();
        gauge(bound, version, tags, "hanul.engine.requests.running", "Sequences decoding or prefilling",
                EngineStats::running);
        gauge(bound, version, tags, "hanul.engine.requests.waiting", "Sequences queued or preempted",
                EngineStats::waiting);
        gauge(bound, version, tags, "hanul.engine.kv.cache.usage.ratio", "KV blocks in use over all blocks",
                EngineStats::kvCacheUsage);
        gauge(bound, version, tags, "hanul.engine.kv.blocks.cached",
                "Unreferenced KV blocks kept for the prefix cache", EngineStats::kvBlocksCached);
        gauge(bound, version, tags, "hanul.engine.prefix.cache.hit.ratio",
                "Prompt tokens found in the prefix cache, since start", EngineStats::prefixCacheHitRate);
        bound.add(Gauge.builder("hanul.engine.requests.in.flight", version, LoadedVersion::inFlight).tags(tags)
                .description("Requests holding this version (it unloads when a drain brings this to 0)")
                .register(registry));
        counter(bound, version, tags, "hanul.engine.requests.submitted", "Requests accepted",
                EngineStats::requestsSubmitted);
        counter(bound, version, tags, "hanul.engine.requests.finished", "Requests finished, any reason",
                EngineStats::requestsFinished);
        counter(bound, version, tags, "hanul.engine.requests.rejected", "Requests refused because the queue was full",
                EngineStats::requestsRejected);
        counter(bound, version, tags, "hanul.engine.prompt.tokens", "Tokens computed for prompts and recomputation",
                EngineStats::prefillTokens);
        counter(bound, version, tags, "hanul.engine.generation.tokens", "Tokens computed by decoding",
                EngineStats::decodeTokens);
        counter(bound, version, tags, "hanul.engine.preemptions", "Sequences preempted because KV blocks ran out",
                EngineStats::preemptions);
        meters.put(version.id(), bound);
    }

    void unbind(String versionId) {
        List<Meter> bound = meters.remove(versionId);
        if (bound != null) {
            bound.forEach(registry::remove);
        }
    }

    private void gauge(List<Meter> bound, LoadedVersion version, Tags tags, String name, String description,
                       ToDoubleFunction<EngineStats> value) {
        bound.add(Gauge.builder(name, version, v -> read(v, value)).tags(tags).description(description)
                .register(registry));
    }

    private void counter(List<Meter> bound, LoadedVersion version, Tags tags, String name, String description,
                         ToDoubleFunction<EngineStats> value) {
        bound.add(FunctionCounter.builder(name, version, v -> read(v, value)).tags(tags).description(description)
                .register(registry));
    }

    /**
     * NaN once the engine is closed: absent from graphs, not a false zero. A remote version has no engine here (its
     * server exports its own scheduler metrics), so its engine series read NaN too; in-flight counts it.
     */
    private static double read(LoadedVersion version, ToDoubleFunction<EngineStats> value) {
        try {
            var engine = version.localEngine();
            if (engine == null) {
                return Double.NaN;
            }
            return value.applyAsDouble(engine.stats());
        } catch (InferenceFailure.ModelNotReady unloadedMeanwhile) {
            return Double.NaN;
        }
    }
}
