package dev.hanul.engine;

import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.sampling.StopStrings;
import dev.hanul.engine.scheduler.Sequence;
import dev.hanul.engine.tokenizer.StreamingDetokenizer;

/**
 * The engine's record of one request: its samples (sequence and sampler each; the first exists from the start, the
 * others are forked from it when its prompt is computed), its event stream and its usage. Engine thread only, except
 * for the stream.
 */
final class Generation {

    /** One of the request's n completions; without a tokenizer its detokenizer is null and its text stays empty. */
    static final class Sample {
        final Sequence sequence;
        final Sampler sampler;
        final StreamingDetokenizer detokenizer;
        final StopStrings stops;
        /** Tokens sampled, stop tokens included (they end the sample without joining its sequence). */
        int sampled;
        boolean finished;

        Sample(Sequence sequence, Sampler sampler, StreamingDetokenizer detokenizer, StopStrings stops) {
            this.sequence = sequence;
            this.sampler = sampler;
            this.detokenizer = detokenizer;
            this.stops = stops;
        }

        /** The text the token releases. */
        String text(int token) {
            return detokenizer == null ? "" : stops.push(detokenizer.push(token));
        }

        /** The text held back, at the end of the sample (nothing after a stop string). */
        String flush() {
            return detokenizer == null ? "" : stops.push(detokenizer.flush()) + stops.flush();
        }
    }

    final GenerationRequest request;
    final EventStream stream;
    private final Sample[] samples;
    private int finishedSamples;
    /** Whether the request has left the queue (admitted once, or finished before that). */
    boolean dequeued;
    /** {@link System#nanoTime()} of the first step that included the request; null until then. */
    Long scheduledNanos;

    Generation(GenerationRequest request, EventStream stream) {
        this.request = request;
        this.stream = stream;
        this.samples = new Sample[request.params().n()];
    }

    Sample sample(int index) {
        return samples[index];
    }

    void add(Sample sample) {
        samples[sample.sequence.sampleIndex()] = sample;
    }

    int n() {
        return samples.length;
    }

    /** Marks sample {@code index} finished (even one never forked); returns whether the whole request is done. */
    boolean finish(int index) {
        if (samples[index] != null) {
            samples[index].finished = true;
        }
        return ++finishedSamples == samples.length;
    }

    boolean finished(int index) {
        return samples[index] != null && samples[index].finished;
    }

    Usage usage() {
        int completion = 0;
        for (Sample sample : samples) {
            if (sample != null) {
                completion += sample.sampled;
            }
        }
        Sequence first = samples[0].sequence;
        return new Usage(first.promptLength(), completion, first.cachedPromptTokens());
    }
}
