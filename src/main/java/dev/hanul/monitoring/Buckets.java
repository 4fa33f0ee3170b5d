package dev.hanul.monitoring;

import java.time.Duration;
import java.util.Arrays;

/**
 * Histogram bucket boundaries, copied from where they are defined so that dashboards built for those systems read
 * ours: vLLM's {@code vllm/v1/metrics/loggers.py} (PrometheusStatLogger) and the OpenTelemetry GenAI semantic
 * conventions (gen-ai-metrics.md, "explicit bucket boundaries" advice).
 */
final class Buckets {

    /** vLLM: vllm:time_to_first_token_seconds. */
    static final Duration[] VLLM_TTFT = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);
    /** vLLM: vllm:inter_token_latency_seconds. */
    static final Duration[] VLLM_ITL = seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0);
    /** vLLM: the request latency histograms (e2e, queue, prefill, decode, inference). */
    static final Duration[] VLLM_REQUEST = seconds(0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0);
    /** vLLM's 1-2-5 series up to a context length, for the prompt and generation token histograms. */
    static final double[] VLLM_TOKENS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000,
            100000, 200000};

    /** OpenTelemetry: gen_ai.client.token.usage. */
    static final double[] GEN_AI_TOKENS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
            16777216, 67108864};
    /** OpenTelemetry: gen_ai.client.operation.duration and gen_ai.server.request.duration. */
    static final Duration[] GEN_AI_DURATION = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    /** OpenTelemetry: gen_ai.server.time_to_first_token. */
    static final Duration[] GEN_AI_TTFT = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
            1.0, 2.5, 5.0, 7.5, 10.0);
    /** OpenTelemetry: gen_ai.server.time_per_output_token. */
    static final Duration[] GEN_AI_TPOT = seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
            1.0, 2.5);

    private Buckets() {
    }

    private static Duration[] seconds(double... values) {
        return Arrays.stream(values).mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
    }
}
