package dev.hanul.openai;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.sampling.Logprobs;
import java.util.ArrayList;
import java.util.List;

/** The n samples of a non-streaming request, gathered from its events in the order they come. */
final class Samples {

    private final List<Sample> samples = new ArrayList<>();
    private final boolean logprobs;
    private Usage usage = new Usage(0, 0, 0);

    Samples(int n, boolean logprobs) {
        this.logprobs = logprobs;
        for (int i = 0; i < n; i++) {
            samples.add(new Sample(i));
        }
    }

    void add(GenerationEvent event) {
        Sample sample = samples.get(event.index());
        switch (event) {
            case GenerationEvent.Token token -> {
                if (logprobs && token.logprobs() != null) {
                    sample.offsets.add(sample.text.length());
                    sample.logprobs.add(token.logprobs());
                }
                sample.text.append(token.text());
            }
            case GenerationEvent.Finished finished -> {
                sample.text.append(finished.text());
                sample.finishReason = FinishReasons.of(finished);
                usage = finished.usage();
            }
        }
    }

    List<Sample> list() {
        return samples;
    }

    Usage usage() {
        return usage;
    }

    final class Sample {

        private final int index;
        private final StringBuilder text = new StringBuilder();
        private final List<Logprobs> logprobs = new ArrayList<>();
        private final List<Integer> offsets = new ArrayList<>();
        private String finishReason;

        private Sample(int index) {
            this.index = index;
        }

        int index() {
            return index;
        }

        String text() {
            return text.toString();
        }

        /** Null when the request did not ask for log probabilities. */
        List<Logprobs> logprobs() {
            return Samples.this.logprobs ? logprobs : null;
        }

        /** Where each token with log probabilities starts in the text. */
        List<Integer> offsets() {
            return offsets;
        }

        String finishReason() {
            return finishReason;
        }
    }
}
