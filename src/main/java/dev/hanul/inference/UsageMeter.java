package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;

/**
 * Who pays for a generation: whoever handles the request (the security filter, per API key) puts a meter into the
 * Reactor context under {@code UsageMeter.class}, and every generation of that request is charged to it when it
 * ends. The engine and the APIs know nothing of keys; without a meter nothing is counted.
 */
@FunctionalInterface
public interface UsageMeter {

    /** A generation ended: its prompt tokens and the tokens it generated (all samples). */
    void charge(int promptTokens, int completionTokens);

    /**
     * The events, charged to the context's meter when they end. A generation cut short (the client left) is charged
     * for the tokens it streamed, as its totals never come.
     */
    static Flux<GenerationEvent> metered(Flux<GenerationEvent> events) {
        return Flux.deferContextual(context -> {
            UsageMeter meter = context.getOrDefault(UsageMeter.class, null);
            if (meter == null) {
                return events;
            }
            AtomicReference<Usage> totals = new AtomicReference<>();
            AtomicInteger streamed = new AtomicInteger();
            AtomicBoolean charged = new AtomicBoolean();
            Runnable charge = () -> {
                if (!charged.compareAndSet(false, true)) {
                    return;
                }
                Usage usage = totals.get();
                if (usage != null) {
                    meter.charge(usage.promptTokens(), usage.completionTokens());
                } else if (streamed.get() > 0) {
                    meter.charge(0, streamed.get());
                }
            };
            // charged before the end passes downstream, so a client that got its answer finds the usage counted
            return events.doOnNext(event -> {
                switch (event) {
                    case GenerationEvent.Token _ -> streamed.incrementAndGet();
                    case GenerationEvent.Finished finished when finished.usage() != null -> totals.set(finished.usage());
                    case GenerationEvent.Finished _ -> { }
                }
            }).doOnTerminate(charge).doOnCancel(charge);
        });
    }
}
