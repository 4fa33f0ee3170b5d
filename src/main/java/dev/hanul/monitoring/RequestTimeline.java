package dev.hanul.monitoring;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.inference.GenerationObserver.End;
import dev.hanul.inference.GenerationObserver.Tracker;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request's stream showed, gathered as its events pass: when tokens came, how each sample ended, the usage
 * and the text of the first sample. Used by one stream at a time (Reactor delivers its events in order).
 */
final class RequestTimeline {

    private final long startNanos;
    private final StringBuilder text = new StringBuilder();
    private final List<FinishReason> reasons = new ArrayList<>();
    private long firstTokenNanos;
    private long lastTokenNanos;
    private long previousTokenNanos;
    private int tokens;
    private Usage usage;
    private Long scheduledNanos;

    RequestTimeline(long startNanos) {
        this.startNanos = startNanos;
    }

    /** What an observer does with a request's timeline once its stream has ended. */
    interface Ending {
        void ended(RequestTimeline timeline, End end, Throwable failure, long nanos);
    }

    /** A tracker that gathers a request's events into a timeline and hands it to {@code ending} at the end. */
    static Tracker gathering(long startNanos, Ending ending) {
        var timeline = new RequestTimeline(startNanos);
        return new Tracker() {
            @Override
            public void onEvent(GenerationEvent event, long nanos) {
                timeline.add(event, nanos);
            }

            @Override
            public void onEnd(End end, Throwable failure, long nanos) {
                ending.ended(timeline, end, failure, nanos);
            }
        };
    }

    /** @return the gap since the previous token in nanoseconds, or -1 for the first token and non-token events */
    long add(GenerationEvent event, long nanos) {
        switch (event) {
            case GenerationEvent.Token token -> {
                if (token.index() == 0) {
                    text.append(token.text());
                }
                tokens++;
                lastTokenNanos = nanos;
                if (firstTokenNanos == 0) {
                    firstTokenNanos = nanos;
                    previousTokenNanos = nanos;
                    return -1;
                }
                long gap = nanos - previousTokenNanos;
                previousTokenNanos = nanos;
                return gap;
            }
            case GenerationEvent.Finished finished -> {
                if (finished.index() == 0) {
                    text.append(finished.text());
                }
                reasons.add(finished.reason());
                usage = finished.usage();
                scheduledNanos = finished.scheduledNanos();
                return -1;
            }
        }
    }

    long startNanos() {
        return startNanos;
    }

    boolean sawToken() {
        return firstTokenNanos != 0;
    }

    /** Seconds from arrival to the first token. */
    double timeToFirstToken() {
        return (firstTokenNanos - startNanos) / 1e9;
    }

    /** Whether the engine said when it first scheduled the request (a finished stream that got a step). */
    boolean sawSchedule() {
        return scheduledNanos != null;
    }

    /** Seconds from arrival to the engine's first step with the request (vLLM's queued time). */
    double queueTime() {
        return Math.max(0, scheduledNanos - startNanos) / 1e9;
    }

    /** Seconds from the engine's first step with the request to its first token (vLLM's prefill time). */
    double prefillTime() {
        return Math.max(0, firstTokenNanos - scheduledNanos) / 1e9;
    }

    /** Seconds from the first to the last token. */
    double decodeTime() {
        return (lastTokenNanos - firstTokenNanos) / 1e9;
    }

    /** Token events seen, over all samples (stop tokens come without one). */
    int tokens() {
        return tokens;
    }

    /** The request's totals from its last Finished event; null when the stream ended before one. */
    Usage usage() {
        return usage;
    }

    /** How the first sample ended; null when it did not. */
    FinishReason reason() {
        return reasons.isEmpty() ? null : reasons.getFirst();
    }

    List<FinishReason> reasons() {
        return List.copyOf(reasons);
    }

    String text() {
        return text.toString();
    }
}
