package dev.hanul.monitoring;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.inference.GenerationObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.util.context.ContextView;

/**
 * One trace span per generation, named as OpenTelemetry's GenAI conventions name it ({@code chat SmolLM2}), with the
 * engine's three phases as its children: {@code hanul.engine.queue} (arrival to the first step that includes the
 * request), {@code hanul.engine.prefill} (that step to the first token) and {@code hanul.engine.decode} (first to last
 * token). The phase boundaries are known only as the stream ends, so the spans are written then with the times they
 * happened. The parent is the observation in the subscriber's Reactor context (the HTTP request's, under which the
 * chat's retrieve and assemble spans also sit), so a RAG answer reads as one trace.
 */
@Component
class GenerationSpans implements GenerationObserver {

    private final Tracer tracer;

    GenerationSpans(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
    }

    @Override
    public Tracker accepted(Accepted request, ContextView context) {
        if (tracer == Tracer.NOOP) {
            return NOTHING;
        }
        Span parent = parentSpan(context);
        return RequestTimeline.gathering(request.startNanos(),
                (timeline, end, failure, nanos) -> write(request, parent, timeline, end, failure, nanos));
    }

    private void write(Accepted request, Span parent, RequestTimeline timeline, End end, Throwable failure,
            long endNanos) {
        var time = new WallTime(Instant.now(), System.nanoTime());
        Span.Builder builder = tracer.spanBuilder()
                .name(request.operation() + " " + request.requested())
                .tag("gen_ai.operation.name", request.operation())
                .tag("gen_ai.provider.name", ServingMetrics.PROVIDER)
                .tag("gen_ai.request.model", request.requested())
                .tag("gen_ai.response.model", request.version().id())
                .tag("gen_ai.response.id", request.request().id())
                .tag("gen_ai.request.max_tokens", request.request().params().maxTokens())
                .tag("gen_ai.response.finish_reasons", ServingMetrics.finishedReason(timeline.reason(), end))
                .startTimestamp(time.micros(timeline.startNanos()), TimeUnit.MICROSECONDS);
        builder = parent == null ? builder.setNoParent() : builder.setParent(parent.context());
        Span generation = builder.start();
        Usage usage = timeline.usage();
        if (usage != null) {
            generation.tag("gen_ai.usage.input_tokens", usage.promptTokens());
            generation.tag("gen_ai.usage.output_tokens", usage.completionTokens());
        }
        if (failure != null) {
            generation.error(failure);
        }
        if (timeline.sawSchedule()) {
            long scheduled = timeline.startNanos() + Math.round(timeline.queueTime() * 1e9);
            phase(generation, "hanul.engine.queue", time, timeline.startNanos(), scheduled);
            if (timeline.sawToken()) {
                long firstToken = timeline.startNanos() + Math.round(timeline.timeToFirstToken() * 1e9);
                phase(generation, "hanul.engine.prefill", time, scheduled, firstToken);
                phase(generation, "hanul.engine.decode", time, firstToken,
                        firstToken + Math.round(timeline.decodeTime() * 1e9));
            }
        }
        generation.end(time.micros(endNanos), TimeUnit.MICROSECONDS);
    }

    private void phase(Span parent, String name, WallTime time, long startNanos, long endNanos) {
        tracer.spanBuilder().setParent(parent.context()).name(name)
                .startTimestamp(time.micros(startNanos), TimeUnit.MICROSECONDS).start()
                .end(time.micros(endNanos), TimeUnit.MICROSECONDS);
    }

    /** The span of the observation the subscriber runs under (WebFlux puts the request's there), if traced. */
    private static Span parentSpan(ContextView context) {
        Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (observation == null) {
            return null;
        }
        TracingContext tracing = observation.getContextView().get(TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }

    /** Turns {@link System#nanoTime()} readings into wall-clock microseconds, as spans record time. */
    private record WallTime(Instant now, long nowNanos) {

        long micros(long nanos) {
            long epochMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
            return epochMicros - (nowNanos - nanos) / 1_000;
        }
    }

    private static final Tracker NOTHING = new Tracker() {
        @Override
        public void onEvent(GenerationEvent event, long nanos) {
        }

        @Override
        public void onEnd(End end, Throwable failure, long nanos) {
        }
    };
}
