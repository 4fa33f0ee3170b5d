package dev.hanul.engine;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The events of one request as a {@link Flow.Publisher} for a single subscriber. The engine thread only appends to a
 * buffer, so a slow subscriber never slows the other requests; delivery runs on an executor, one drain at a time
 * (signals are serial, as Reactive Streams requires), as far as the subscriber's demand goes. Events produced
 * before the subscription are kept for it. Cancelling the subscription cancels the request.
 */
final class EventStream implements Flow.Publisher<GenerationEvent> {

    private final Executor executor;
    private final Runnable onCancel;
    private final Queue<GenerationEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Flow.Subscriber<? super GenerationEvent>> subscriber = new AtomicReference<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger drains = new AtomicInteger();
    private volatile boolean completed;
    private volatile boolean cancelled;
    private volatile long invalidRequest;
    private boolean terminated;

    EventStream(Executor executor, Runnable onCancel) {
        this.executor = executor;
        this.onCancel = onCancel;
    }

    /** Adds an event (engine thread). */
    void emit(GenerationEvent event) {
        if (!cancelled) {
            events.add(event);
            drain();
        }
    }

    /** No events follow (engine thread). */
    void complete() {
        completed = true;
        drain();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super GenerationEvent> newSubscriber) {
        Objects.requireNonNull(newSubscriber, "subscriber");
        if (!subscriber.compareAndSet(null, newSubscriber)) {
            newSubscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            newSubscriber.onError(new IllegalStateException("A generation's events can be subscribed to only once"));
            return;
        }
        newSubscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    invalidRequest = n;
                } else {
                    demand.getAndAccumulate(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE
                            : current + added);
                }
                drain();
            }

            @Override
            public void cancel() {
                cancelEvents();
            }
        });
        drain();
    }

    private void cancelEvents() {
        if (!cancelled) {
            cancelled = true;
            events.clear();
            onCancel.run();
        }
    }

    private void drain() {
        if (drains.getAndIncrement() == 0) {
            executor.execute(this::deliver);
        }
    }

    private void deliver() {
        int missed = 1;
        do {
            Flow.Subscriber<? super GenerationEvent> target = subscriber.get();
            if (target != null && !terminated && !cancelled) {
                deliverTo(target);
            }
            missed = drains.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliverTo(Flow.Subscriber<? super GenerationEvent> target) {
        if (invalidRequest != 0) {
            terminated = true;
            cancelEvents();
            target.onError(new IllegalArgumentException(
                    "Subscription.request needs a positive count (Reactive Streams rule 3.9), got " + invalidRequest));
            return;
        }
        long sent = 0;
        long wanted = demand.get();
        try {
            while (sent < wanted && !cancelled) {
                GenerationEvent event = events.poll();
                if (event == null) {
                    break;
                }
                target.onNext(event);
                sent++;
            }
        } catch (RuntimeException subscriberFailure) {
            // A subscriber that throws breaks the protocol (rule 2.13): treat it as gone.
            terminated = true;
            cancelEvents();
            return;
        }
        if (sent > 0 && wanted != Long.MAX_VALUE) {
            demand.addAndGet(-sent);
        }
        if (completed && events.isEmpty() && !cancelled) {
            terminated = true;
            target.onComplete();
        }
    }
}
