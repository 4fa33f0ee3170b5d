package dev.hanul.finetune;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Fine-tuning in Prometheus: the running job's loss, validation loss, tokens/s and steps ({@code hanul_finetune_*}
 * gauges, for the job now training), tokens and steps trained in total, and the time training paused for serving.
 */
@Component
class FineTuneMetrics {

    private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> validationLoss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> tokensPerSecond = new AtomicReference<>(0.0);
    private final AtomicReference<Double> step = new AtomicReference<>(0.0);
    private final AtomicReference<Double> totalSteps = new AtomicReference<>(0.0);
    private final Counter tokens;
    private final Counter steps;
    private final Counter paused;
    private final Counter jobsSucceeded;
    private final Counter jobsFailed;

    FineTuneMetrics(MeterRegistry meters) {
        Gauge.builder("hanul.finetune.loss", loss, AtomicReference::get)
                .description("Training loss of the last step of the running job").register(meters);
        Gauge.builder("hanul.finetune.validation.loss", validationLoss, AtomicReference::get)
                .description("Validation loss at the running job's last checkpoint").register(meters);
        Gauge.builder("hanul.finetune.tokens.per.second", tokensPerSecond, AtomicReference::get)
                .description("Tokens per second (forward and backward) of the last step").register(meters);
        Gauge.builder("hanul.finetune.step", step, AtomicReference::get)
                .description("Steps the running job has completed").register(meters);
        Gauge.builder("hanul.finetune.total.steps", totalSteps, AtomicReference::get)
                .description("Steps the running job makes in all").register(meters);
        tokens = Counter.builder("hanul.finetune.tokens").description("Tokens trained on (forward and backward)")
                .register(meters);
        steps = Counter.builder("hanul.finetune.steps").description("Optimizer steps made").register(meters);
        paused = Counter.builder("hanul.finetune.paused.seconds")
                .description("Time training waited while serving had requests running or waiting").register(meters);
        jobsSucceeded = Counter.builder("hanul.finetune.jobs").tag("status", "succeeded").register(meters);
        jobsFailed = Counter.builder("hanul.finetune.jobs").tag("status", "failed").register(meters);
    }

    void started(int completed, int total) {
        step.set((double) completed);
        totalSteps.set((double) total);
        loss.set(Double.NaN);
        validationLoss.set(Double.NaN);
    }

    void step(int number, double stepLoss, long stepTokens, double rate) {
        step.set((double) number);
        loss.set(stepLoss);
        tokensPerSecond.set(rate);
        tokens.increment(stepTokens);
        steps.increment();
    }

    void validation(double value) {
        validationLoss.set(value);
    }

    void paused(double seconds) {
        paused.increment(seconds);
    }

    void ended(boolean succeeded) {
        (succeeded ? jobsSucceeded : jobsFailed).increment();
        tokensPerSecond.set(0.0);
    }
}
