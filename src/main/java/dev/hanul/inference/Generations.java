package dev.hanul.inference;

import dev.hanul.engine.EngineOverloadedException;
import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.inference.ModelState.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.SynchronousSink;

/**
 * Runs requests on model versions, with one policy for everything that can go wrong: the engine's refusals become
 * {@link InferenceFailure}s, an engine error inside the stream becomes a {@link InferenceFailure.GenerationFailed}
 * signal, the whole generation is bounded by {@code hanul.inference.request-timeout}, and each request holds a lease on
 * its version until its stream ends, so a draining version unloads only after its last request.
 */
@Component
class Generations {

    private static final Logger log = LoggerFactory.getLogger(Generations.class);

    private final InferenceProperties properties;
    private final ObjectProvider<ShadowRecorder> shadows;
    private final List<GenerationObserver> observers;
    private final ObjectProvider<GenerationGuard> guard;

    Generations(InferenceProperties properties, ObjectProvider<ShadowRecorder> shadows,
            ObjectProvider<GenerationObserver> observers, ObjectProvider<GenerationGuard> guard) {
        this.properties = properties;
        this.shadows = shadows;
        this.observers = observers.orderedStream().toList();
        this.guard = guard;
    }

    /** The guardrails, or null when none are configured. */
    GenerationGuard guard() {
        return guard.getIfAvailable();
    }

    Flux<GenerationEvent> run(ModelRouter.Route route, GenerationRequest request, String operation) {
        Instant at = Instant.now();
        long arrived = System.nanoTime();
        Flux<GenerationEvent> primary = observed(new GenerationObserver.Accepted(request, route.requested(),
                route.primary(), operation, at, arrived), run(route.primary(), request));
        ShadowRecorder recorder = shadows.getIfAvailable();
        if (route.shadow() == null || recorder == null) {
            return primary;
        }
        return shadowed(route, request, primary, recorder);
    }

    /**
     * Sheds a request before any work is spent on it while the routed version's queue is full: under overload, the
     * guardrails' embedding of each refused request took the cores that generation and the health probes needed.
     *
     * @throws InferenceFailure.Overloaded when the version's engine has no room
     */
    void requireRoom(ModelRouter.Route route) {
        InferenceEngine engine = route.primary().localEngine();
        if (engine == null) {
            return; // a remote server sheds for itself
        }
        try {
            engine.requireRoom();
        } catch (EngineOverloadedException e) {
            throw overloaded(route.primary(), e);
        }
    }

    private InferenceFailure.Overloaded overloaded(ModelInstance instance, EngineOverloadedException e) {
        return new InferenceFailure.Overloaded("The model %s is overloaded: %d requests are waiting, the limit "
                .formatted(instance.id(), e.waiting()) + "(hanul.model.max-waiting) is %d.".formatted(e.limit()),
                properties.overloadRetryAfter(), e);
    }

    private Flux<GenerationEvent> run(ModelInstance instance, GenerationRequest request) {
        ModelInstance.Lease lease = instance.begin();
        Flux<GenerationEvent> events;
        try {
            events = JdkFlowAdapter.flowPublisherToFlux(instance.submit(request));
        } catch (IllegalArgumentException e) {
            lease.close();
            // The façade checks every parameter first; what the engine still refuses, its message describes.
            throw new InferenceFailure.Rejected(null, names -> e.getMessage());
        } catch (EngineOverloadedException e) {
            lease.close();
            throw overloaded(instance, e);
        } catch (IllegalStateException e) {
            lease.close();
            throw new InferenceFailure.ModelNotReady(instance.id(), new ModelState(Phase.STOPPED, e.getMessage()));
        }
        Duration timeout = properties.requestTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        // A deadline for the whole stream, not a gap between events: each event's timeout is the time still left.
        return events
                .timeout(Mono.delay(timeout),
                        event -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))),
                        Flux.error(() -> new InferenceFailure.TimedOut(timeout)))
                .handle((GenerationEvent event, SynchronousSink<GenerationEvent> sink) -> {
                    if (event instanceof GenerationEvent.Finished finished
                            && finished.reason() == FinishReason.ERROR) {
                        sink.error(new InferenceFailure.GenerationFailed(finished.message()));
                    } else {
                        sink.next(event);
                    }
                })
                .doFinally(signal -> lease.close());
    }

    /** The events, unchanged, shown to every {@link GenerationObserver} as they pass. */
    private Flux<GenerationEvent> observed(GenerationObserver.Accepted accepted, Flux<GenerationEvent> events) {
        if (observers.isEmpty()) {
            return events;
        }
        return Flux.deferContextual(context -> {
            var trackers = new ArrayList<GenerationObserver.Tracker>(observers.size());
            for (GenerationObserver observer : observers) {
                try {
                    trackers.add(observer.accepted(accepted, context));
                } catch (RuntimeException e) {
                    log.warn("Observer {} failed on request {}: {}", observer, accepted.request().id(), e.toString());
                }
            }
            var failure = new AtomicReference<Throwable>();
            return events
                    .doOnNext(event -> {
                        long now = System.nanoTime();
                        for (GenerationObserver.Tracker tracker : trackers) {
                            try {
                                tracker.onEvent(event, now);
                            } catch (RuntimeException e) {
                                log.warn("Observer failed on an event of {}: {}", accepted.request().id(),
                                        e.toString());
                            }
                        }
                    })
                    .doOnError(failure::set)
                    .doFinally(signal -> {
                        long now = System.nanoTime();
                        GenerationObserver.End end = switch (signal) {
                            case ON_ERROR -> GenerationObserver.End.FAILED;
                            case CANCEL -> GenerationObserver.End.CANCELLED;
                            default -> GenerationObserver.End.COMPLETED;
                        };
                        for (GenerationObserver.Tracker tracker : trackers) {
                            try {
                                tracker.onEnd(end, failure.get(), now);
                            } catch (RuntimeException e) {
                                log.warn("Observer failed at the end of {}: {}", accepted.request().id(),
                                        e.toString());
                            }
                        }
                    });
        });
    }

    /**
     * The primary's events, unchanged, while a copy of the request runs on the shadow version; once both have ended
     * the two answers are recorded side by side. Nothing of the shadow reaches the client, and its failures only
     * show in the record.
     */
    private Flux<GenerationEvent> shadowed(ModelRouter.Route route, GenerationRequest request,
            Flux<GenerationEvent> primary, ShadowRecorder recorder) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        Mono<Outcome> shadow;
        try {
            shadow = outcome(run(route.shadow(), new GenerationRequest(request.id() + "-shadow", request.prompt(),
                    request.params())), started).cache();
            shadow.subscribe();
        } catch (InferenceFailure e) {
            shadow = Mono.just(new Outcome("", "failed: " + e.getMessage(), 0));
        }
        Mono<Outcome> shadowOutcome = shadow;
        var answer = new FirstSample("cancelled");
        return primary
                .doOnNext(answer::accept)
                .doFinally(signal -> {
                    String primaryEnd = signal == SignalType.ON_ERROR ? "failed" : answer.end();
                    long primaryMillis = (System.nanoTime() - started) / 1_000_000;
                    shadowOutcome.subscribe(s -> record(recorder, new ShadowRecorder.ShadowResult(request.id(),
                            route.requested(), at, route.primary().id(), answer.text(), primaryEnd, primaryMillis,
                            route.shadow().id(), s.text(), s.end(), s.millis())));
                });
    }

    private static Mono<Outcome> outcome(Flux<GenerationEvent> events, long started) {
        var answer = new FirstSample("unfinished");
        return events
                .doOnNext(answer::accept)
                .then(Mono.fromSupplier(() -> new Outcome(answer.text(), answer.end(),
                        (System.nanoTime() - started) / 1_000_000)))
                .onErrorResume(e -> Mono.just(new Outcome(answer.text(), "failed: " + e.getMessage(),
                        (System.nanoTime() - started) / 1_000_000)));
    }

    /** The text of a request's first sample and how it ended, gathered from its events (one at a time). */
    private static final class FirstSample {
        private final StringBuilder text = new StringBuilder();
        private String end;

        FirstSample(String unfinished) {
            this.end = unfinished;
        }

        void accept(GenerationEvent event) {
            switch (event) {
                case GenerationEvent.Token token when token.index() == 0 -> text.append(token.text());
                case GenerationEvent.Finished finished when finished.index() == 0 -> {
                    text.append(finished.text());
                    end = finished.reason().name().toLowerCase(Locale.ROOT);
                }
                default -> {
                }
            }
        }

        String text() {
            return text.toString();
        }

        String end() {
            return end;
        }
    }

    private static void record(ShadowRecorder recorder, ShadowRecorder.ShadowResult result) {
        try {
            recorder.record(result);
        } catch (RuntimeException e) {
            log.warn("The shadow answer of request {} could not be recorded: {}", result.requestId(), e.toString());
        }
    }

    private record Outcome(String text, String end, long millis) {
    }
}
