package dev.hanul.openai;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;

/** The n samples of a non-streaming request, gathered from its events in the order they come. */
final class Samples {

    private final List<Sample> samples = new ArrayList<>();
    private final boolean logprobs;
    private final List<Integer> stopTokenIds;
    private Usage usage = new Usage(0, 0, 0);

    Samples(SamplingParams params) {
        this.logprobs = params.logprobs() != null;
        this.stopTokenIds = params.stopTokenIds();
        for (int i = 0; i < params.n(); i++) {
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
                sample.stopReason = FinishReasons.stopReason(finished, stopTokenIds);
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
        private Object stopReason;

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

        /** The stop string or stop token id, as {@link FinishReasons#stopReason} says. */
        Object stopReason() {
            return stopReason;
        }
    }
}
