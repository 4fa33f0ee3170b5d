package dev.hanul.cli;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.Usage;
import dev.hanul.engine.sampling.SamplingParams;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;

/** Runs one request on the engine and streams its text to the terminal as it is generated, until it finishes. */
final class TerminalStream implements Flow.Subscriber<GenerationEvent> {

    /** What the terminal saw, with the timings llama.cpp users expect after an answer. */
    record Outcome(String text, FinishReason reason, Usage usage, String error, long firstTokenNanos,
                   long totalNanos) {

        double promptTokensPerSecond() {
            return (usage.promptTokens() - usage.cachedPromptTokens()) / (firstTokenNanos / 1e9);
        }

        double decodeTokensPerSecond() {
            long decodeNanos = totalNanos - firstTokenNanos;
            return usage.completionTokens() > 1 && decodeNanos > 0
                    ? (usage.completionTokens() - 1) / (decodeNanos / 1e9) : 0;
        }
    }

    private final PrintWriter out;
    private final StringBuilder text = new StringBuilder();
    private final CountDownLatch done = new CountDownLatch(1);
    private final long start = System.nanoTime();
    private long firstToken;
    private GenerationEvent.Finished finished;
    private Throwable failure;

    private TerminalStream(PrintWriter out) {
        this.out = out;
    }

    static Outcome run(InferenceEngine engine, int[] prompt, SamplingParams params, PrintWriter out)
            throws InterruptedException {
        TerminalStream stream = new TerminalStream(out);
        engine.submit(GenerationRequest.of(prompt, params)).subscribe(stream);
        stream.done.await();
        if (stream.failure != null) {
            throw new IllegalStateException("Generation failed: " + stream.failure.getMessage(), stream.failure);
        }
        GenerationEvent.Finished f = stream.finished;
        if (f.reason() == FinishReason.ERROR) {
            throw new IllegalStateException("Generation failed: " + f.message());
        }
        long total = System.nanoTime() - stream.start;
        return new Outcome(stream.text.toString(), f.reason(), f.usage(), f.message(),
                stream.firstToken > 0 ? stream.firstToken - stream.start : total, total);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(GenerationEvent event) {
        switch (event) {
            case GenerationEvent.Token token -> {
                if (firstToken == 0) {
                    firstToken = System.nanoTime();
                }
                print(token.text());
            }
            case GenerationEvent.Finished f -> {
                print(f.text());
                finished = f;
            }
        }
    }

    private void print(String delta) {
        if (!delta.isEmpty()) {
            text.append(delta);
            out.print(delta);
            out.flush();
        }
    }

    @Override
    public void onError(Throwable throwable) {
        failure = throwable;
        done.countDown();
    }

    @Override
    public void onComplete() {
        done.countDown();
    }
}
