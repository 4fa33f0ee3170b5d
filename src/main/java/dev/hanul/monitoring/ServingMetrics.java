package dev.hanul.monitoring;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.Usage;
import dev.hanul.inference.GenerationObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import reactor.util.context.ContextView;

/**
 * Request metrics under the names dashboards already use: vLLM's serving metrics ({@code vllm:x} is exported as
 * {@code vllm_x}, Prometheus-safe) and the OpenTelemetry GenAI metrics ({@code gen_ai.server.time_to_first_token} as
 * {@code gen_ai_server_time_to_first_token_seconds}), with the buckets both define. vLLM series carry
 * {@code model_name} (what the client asked for) and {@code model_version} (name@version that answered); GenAI series
 * carry {@code gen_ai.request.model} and {@code gen_ai.response.model} the same way. At most
 * {@code hanul.monitoring.max-model-versions} versions get their own series.
 */
@Component
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class ServingMetrics implements GenerationObserver {

    static final String PROVIDER = "hanul";
    private static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxVersions;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();
    private final Map<String, Boolean> versions = new ConcurrentHashMap<>();
    /** (name, version) pairs whose scheduler gauges are registered: once, whatever the operation or the race. */
    private final Set<List<String>> gauged = ConcurrentHashMap.newKeySet();

    ServingMetrics(MeterRegistry registry, MonitoringProperties properties) {
        this.registry = registry;
        this.maxVersions = properties.maxModelVersions();
    }

    @Override
    public Tracker accepted(Accepted request, ContextView context) {
        Meters m = meters(request);
        var timeline = new RequestTimeline(request.startNanos());
        return new Tracker() {
            @Override
            public void onEvent(GenerationEvent event, long nanos) {
                long gap = timeline.add(event, nanos);
                if (gap >= 0) {
                    m.interTokenLatency.record(gap, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void onEnd(End end, Throwable failure, long nanos) {
                m.record(timeline, end, nanos);
            }
        };
    }

    private Meters meters(Accepted request) {
        String version = bounded(request.version().id());
        String name = version.equals(OTHER) ? OTHER : request.requested();
        Key key = new Key(name, version, request.operation());
        Meters existing = meters.get(key);
        if (existing != null) {
            return existing;
        }
        // A version served remotely has no scheduler here to read; its server exports its own.
        if (!version.equals(OTHER) && request.version().localEngine() != null && gauged.add(List.of(name, version))) {
            engineGauges(name, version, request.version().localEngine());
        }
        return meters.computeIfAbsent(key, k -> new Meters(registry, k));
    }

    /** The version's own label while fewer than the limit are known, else {@code other}. */
    private String bounded(String version) {
        if (versions.containsKey(version)) {
            return version;
        }
        synchronized (versions) {
            if (versions.size() < maxVersions) {
                versions.putIfAbsent(version, Boolean.TRUE);
                return version;
            }
        }
        return versions.containsKey(version) ? version : OTHER;
    }

    /**
     * vLLM's scheduler gauges, read from the version's engine at each scrape. The gauge holds the engine weakly: once
     * the version is unloaded and collected, it reads NaN (absent from graphs) instead of keeping the engine alive.
     */
    private void engineGauges(String name, String version, InferenceEngine engine) {
        Tags tags = Tags.of("model_name", name, "model_version", version);
        Gauge.builder("vllm.num_requests_running", engine, e -> e.stats().running()).tags(tags)
                .description("Requests decoding or prefilling").register(registry);
        Gauge.builder("vllm.num_requests_waiting", engine, e -> e.stats().waiting()).tags(tags)
                .description("Requests queued or preempted").register(registry);
        Gauge.builder("vllm.kv_cache_usage_perc", engine, e -> e.stats().kvCacheUsage()).tags(tags)
                .description("KV-cache usage, 1 is 100 percent").register(registry);
    }

    /** vLLM's finished_reason values: stop, length, abort; plus error for a failed stream. */
    static String finishedReason(FinishReason reason, End end) {
        if (end == End.FAILED || reason == FinishReason.ERROR) {
            return "error";
        }
        if (reason == null || reason == FinishReason.CANCELLED || end == End.CANCELLED) {
            return "abort";
        }
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private record Key(String name, String version, String operation) {
    }

    /** One (requested name, version, operation)'s meters, registered once. */
    private static final class Meters {

        private final MeterRegistry registry;
        private final Tags vllm;
        private final Counter promptTokens;
        private final Counter generationTokens;
        private final Counter prefixQueries;
        private final Counter prefixHits;
        private final Timer ttft;
        private final Timer interTokenLatency;
        private final Timer e2e;
        private final Timer queue;
        private final Timer prefill;
        private final Timer decode;
        private final DistributionSummary requestPromptTokens;
        private final DistributionSummary requestGenerationTokens;
        private final DistributionSummary inputUsage;
        private final DistributionSummary outputUsage;
        private final Timer operationDuration;
        private final Timer serverRequestDuration;
        private final Timer serverTtft;
        private final Timer timePerOutputToken;

        Meters(MeterRegistry registry, Key key) {
            this.registry = registry;
            vllm = Tags.of("model_name", key.name(), "model_version", key.version());
            Tags genAi = Tags.of("gen_ai.operation.name", key.operation(), "gen_ai.provider.name", PROVIDER,
                    "gen_ai.request.model", key.name(), "gen_ai.response.model", key.version());
            promptTokens = Counter.builder("vllm.prompt_tokens").tags(vllm).description("Prefill tokens processed")
                    .register(registry);
            generationTokens = Counter.builder("vllm.generation_tokens").tags(vllm)
                    .description("Generation tokens processed").register(registry);
            prefixQueries = Counter.builder("vllm.prefix_cache_queries").tags(vllm)
                    .description("Prompt tokens looked up in the prefix cache").register(registry);
            prefixHits = Counter.builder("vllm.prefix_cache_hits").tags(vllm)
                    .description("Prompt tokens found in the prefix cache").register(registry);
            ttft = timer(registry, "vllm.time_to_first_token", vllm, Buckets.VLLM_TTFT,
                    "Time from arrival to the first token");
            interTokenLatency = timer(registry, "vllm.inter_token_latency", vllm, Buckets.VLLM_ITL,
                    "Time between consecutive tokens");
            e2e = timer(registry, "vllm.e2e_request_latency", vllm, Buckets.VLLM_REQUEST,
                    "Time from arrival to the end of the stream");
            queue = timer(registry, "vllm.request_queue_time", vllm, Buckets.VLLM_REQUEST,
                    "Time from arrival to the engine's first step with the request");
            prefill = timer(registry, "vllm.request_prefill_time", vllm, Buckets.VLLM_REQUEST,
                    "Time from the engine's first step with the request to its first token");
            decode = timer(registry, "vllm.request_decode_time", vllm, Buckets.VLLM_REQUEST,
                    "Time from the first token to the last");
            requestPromptTokens = summary(registry, "vllm.request_prompt_tokens", vllm, Buckets.VLLM_TOKENS,
                    "Prompt tokens of a request");
            requestGenerationTokens = summary(registry, "vllm.request_generation_tokens", vllm, Buckets.VLLM_TOKENS,
                    "Generated tokens of a request");
            inputUsage = summary(registry, "gen_ai.client.token.usage", genAi.and("gen_ai.token.type", "input"),
                    Buckets.GEN_AI_TOKENS, "Tokens used, by type");
            outputUsage = summary(registry, "gen_ai.client.token.usage", genAi.and("gen_ai.token.type", "output"),
                    Buckets.GEN_AI_TOKENS, "Tokens used, by type");
            operationDuration = timer(registry, "gen_ai.client.operation.duration", genAi, Buckets.GEN_AI_DURATION,
                    "Duration of the operation, as the client sees it");
            serverRequestDuration = timer(registry, "gen_ai.server.request.duration", genAi,
                    Buckets.GEN_AI_DURATION, "Time from arrival to the last byte of the response");
            serverTtft = timer(registry, "gen_ai.server.time_to_first_token", genAi, Buckets.GEN_AI_TTFT,
                    "Time to the first output token");
            timePerOutputToken = timer(registry, "gen_ai.server.time_per_output_token", genAi, Buckets.GEN_AI_TPOT,
                    "Time per output token after the first (decode phase)");
        }

        void record(RequestTimeline timeline, End end, long nanos) {
            String reason = finishedReason(timeline.reason(), end);
            Counter.builder("vllm.request_success").tags(vllm).tag("finished_reason", reason)
                    .description("Finished requests, by finish reason").register(registry).increment();
            long total = nanos - timeline.startNanos();
            e2e.record(total, TimeUnit.NANOSECONDS);
            operationDuration.record(total, TimeUnit.NANOSECONDS);
            serverRequestDuration.record(total, TimeUnit.NANOSECONDS);
            if (timeline.sawSchedule()) {
                queue.record(seconds(timeline.queueTime()));
                if (timeline.sawToken()) {
                    prefill.record(seconds(timeline.prefillTime()));
                }
            }
            if (timeline.sawToken()) {
                Duration first = seconds(timeline.timeToFirstToken());
                ttft.record(first);
                serverTtft.record(first);
                Duration decoding = seconds(timeline.decodeTime());
                decode.record(decoding);
                if (timeline.tokens() > 1) {
                    timePerOutputToken.record(decoding.dividedBy(timeline.tokens() - 1));
                }
            }
            Usage usage = timeline.usage();
            if (usage != null) {
                promptTokens.increment(usage.promptTokens());
                generationTokens.increment(usage.completionTokens());
                prefixQueries.increment(usage.promptTokens());
                prefixHits.increment(usage.cachedPromptTokens());
                requestPromptTokens.record(usage.promptTokens());
                requestGenerationTokens.record(usage.completionTokens());
                inputUsage.record(usage.promptTokens());
                outputUsage.record(usage.completionTokens());
            }
        }

        private static Duration seconds(double seconds) {
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }

        private static Timer timer(MeterRegistry registry, String name, Tags tags, Duration[] buckets,
                String description) {
            return Timer.builder(name).tags(tags).serviceLevelObjectives(buckets).description(description)
                    .register(registry);
        }

        private static DistributionSummary summary(MeterRegistry registry, String name, Tags tags, double[] buckets,
                String description) {
            return DistributionSummary.builder(name).tags(tags).serviceLevelObjectives(buckets)
                    .description(description).register(registry);
        }
    }
}
