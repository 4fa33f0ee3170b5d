package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import java.time.Instant;
import reactor.util.context.ContextView;

/**
 * Watches the generations the façade runs, for metrics and interaction records: every bean of this type is told of
 * each request the engine accepted (primary versions only, never shadow copies) and then sees its events and its
 * end. Calls come on the stream's threads, so an observer must be quick and never block; what it throws is logged
 * and ignored, so that watching never breaks an answer.
 */
public interface GenerationObserver {

    /**
     * @param context the subscriber's Reactor context, where an API may leave what the observer should know about
     *                the request (its tenant, the retrieved chunks)
     * @return what follows this one request
     */
    Tracker accepted(Accepted request, ContextView context);

    /**
     * A request the engine accepted.
     *
     * @param requested   the model name the client used
     * @param version     the version that answers
     * @param operation   {@code chat} when the prompt was rendered with the chat template, else
     *                    {@code text_completion} (OpenTelemetry's gen_ai.operation.name values)
     * @param at          when it arrived
     * @param startNanos  {@link System#nanoTime()} when it arrived, for durations
     */
    record Accepted(GenerationRequest request, String requested, ModelInstance version, String operation,
                    Instant at, long startNanos) {
    }

    /** One request's stream. */
    interface Tracker {

        /** @param nanos {@link System#nanoTime()} when the event passed */
        void onEvent(GenerationEvent event, long nanos);

        /**
         * The stream ended: completed, cancelled by its subscriber, or failed.
         *
         * @param failure the error for {@link End#FAILED}, else null
         */
        void onEnd(End end, Throwable failure, long nanos);
    }

    enum End { COMPLETED, CANCELLED, FAILED }
}
