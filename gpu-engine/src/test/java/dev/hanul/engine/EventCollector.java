package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Subscribes to a request's events and keeps them, for tests. */
class EventCollector implements Flow.Subscriber<GenerationEvent> {

    private final List<GenerationEvent> events = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Throwable error;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    static EventCollector of(Flow.Publisher<GenerationEvent> publisher) {
        EventCollector collector = new EventCollector();
        publisher.subscribe(collector);
        return collector;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public synchronized void onNext(GenerationEvent event) {
        events.add(event);
    }

    @Override
    public void onError(Throwable throwable) {
        error = throwable;
        done.countDown();
    }

    @Override
    public void onComplete() {
        done.countDown();
    }

    void cancel() {
        cancelled = true;
        subscription.cancel();
    }

    boolean cancelledBySubscriber() {
        return cancelled;
    }

    /** Waits for the stream to complete (a generous bound: only a hung engine reaches it). */
    EventCollector await() {
        try {
            assertThat(done.await(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS))
                    .as("the request's stream completed").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(error).as("stream error").isNull();
        return this;
    }

    synchronized List<GenerationEvent> events() {
        return List.copyOf(events);
    }

    /** The token ids of sample {@code index}, in order. */
    synchronized List<Integer> tokens(int index) {
        return events.stream()
                .filter(e -> e instanceof GenerationEvent.Token t && t.index() == index)
                .map(e -> ((GenerationEvent.Token) e).token())
                .toList();
    }

    List<Integer> tokens() {
        return tokens(0);
    }

    /** The text of sample {@code index}: its tokens' text, then what its Finished event released. */
    synchronized String text(int index) {
        StringBuilder text = new StringBuilder();
        for (GenerationEvent event : events) {
            if (event.index() != index) {
                continue;
            }
            switch (event) {
                case GenerationEvent.Token token -> text.append(token.text());
                case GenerationEvent.Finished finished -> text.append(finished.text());
            }
        }
        return text.toString();
    }

    synchronized GenerationEvent.Finished finished(int index) {
        return events.stream()
                .filter(e -> e instanceof GenerationEvent.Finished f && f.index() == index)
                .map(e -> (GenerationEvent.Finished) e)
                .findFirst().orElseThrow(() -> new AssertionError("sample " + index + " did not finish"));
    }

    GenerationEvent.Finished finished() {
        return finished(0);
    }

    /** The last Finished event: its usage is the request's total. */
    synchronized Usage usage() {
        List<GenerationEvent.Finished> finished = events.stream()
                .filter(e -> e instanceof GenerationEvent.Finished)
                .map(e -> (GenerationEvent.Finished) e).toList();
        return finished.getLast().usage();
    }

    synchronized boolean isDone() {
        return done.getCount() == 0;
    }

    List<GenerationEvent.Token> tokenEvents() {
        return events().stream().filter(e -> e instanceof GenerationEvent.Token)
                .map(e -> (GenerationEvent.Token) e).toList();
    }
}
