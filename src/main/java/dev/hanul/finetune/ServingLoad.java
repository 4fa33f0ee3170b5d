package dev.hanul.finetune;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Whether serving needs the cores: requests running or waiting on any loaded model's engine, as the serving gauges
 * every engine publishes count them ({@code vllm:num_requests_running}, {@code vllm:num_requests_waiting}). Read
 * through the metrics so that fine-tuning depends on no engine directly.
 */
@Component
class ServingLoad {

    private final MeterRegistry meters;

    ServingLoad(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Requests running or waiting across all engines in this process. */
    int requests() {
        return (int) (sum("vllm.num_requests_running") + sum("vllm.num_requests_waiting"));
    }

    private double sum(String name) {
        double total = 0;
        for (Gauge gauge : meters.find(name).gauges()) {
            double value = gauge.value();
            total += Double.isFinite(value) ? value : 0;
        }
        return total;
    }
}
