package dev.hanul.inference;

import dev.hanul.engine.sampling.SamplingParams;
import java.util.List;

/**
 * The one place where a request's sampling becomes the engine's {@link SamplingParams}: every value is checked here
 * against what the engine can do (vLLM's rules), and a refusal names its {@link Parameter} so each API words it with
 * its own field names.
 */
final class SamplingRules {

    private SamplingRules() {
    }

    /**
     * @param maxTokens  the answer's limit, already fitted to the window
     * @param maxSamples the most samples per request: the sequences the engine runs at once
     * @param vocabulary the model's vocabulary size, for stop token ids
     */
    static SamplingParams params(SamplingOptions o, int maxTokens, int maxSamples, int vocabulary) {
        var params = SamplingParams.builder().maxTokens(maxTokens).logprobs(logprobs(o.logprobs()));
        double temperature = o.temperature() == null ? 1 : o.temperature();
        if (!(temperature >= 0 && Double.isFinite(temperature))) {
            throw InferenceFailure.Rejected.of(Parameter.TEMPERATURE, "must be non-negative (0 is greedy), got "
                    + temperature + ".");
        }
        params.temperature((float) temperature);
        if (o.topP() != null && !(o.topP() > 0 && o.topP() <= 1)) {
            throw InferenceFailure.Rejected.of(Parameter.TOP_P, "must be in (0, 1], got " + o.topP() + ".");
        }
        params.topP(o.topP() == null ? 1f : o.topP().floatValue());
        int topK = o.topK() == null ? 0 : o.topK();
        if (topK < -1) {
            throw InferenceFailure.Rejected.of(Parameter.TOP_K, "must be -1 or 0 (keep all tokens) or at least 1, "
                    + "got " + topK + ".");
        }
        params.topK(Math.max(topK, 0));
        params.minP((float) within(Parameter.MIN_P, o.minP(), 0, 0, 1));
        int n = o.n() == null ? 1 : o.n();
        if (n < 1 || n > maxSamples) {
            throw InferenceFailure.Rejected.of(Parameter.N, ("must be between 1 and %d (the sequences this service "
                    + "decodes at once, hanul.model.max-running-sequences), got %d.").formatted(maxSamples, n));
        }
        params.n(n);
        params.seed(o.seed());
        params.stop(stop(o.stop()));
        params.stopTokenIds(stopTokenIds(o.stopTokenIds(), vocabulary));
        params.presencePenalty((float) within(Parameter.PRESENCE_PENALTY, o.presencePenalty(), 0, -2, 2));
        params.frequencyPenalty((float) within(Parameter.FREQUENCY_PENALTY, o.frequencyPenalty(), 0, -2, 2));
        if (o.repetitionPenalty() != null && !(o.repetitionPenalty() > 0
                && Double.isFinite(o.repetitionPenalty()))) {
            throw InferenceFailure.Rejected.of(Parameter.REPETITION_PENALTY, "must be greater than 0 (1 turns it "
                    + "off), got " + o.repetitionPenalty() + ".");
        }
        params.repetitionPenalty(o.repetitionPenalty() == null ? 1f : o.repetitionPenalty().floatValue());
        int minTokens = o.minTokens() == null ? 0 : o.minTokens();
        if (minTokens < 0 || minTokens > maxTokens) {
            throw new InferenceFailure.Rejected(Parameter.MIN_TOKENS, names -> "%s must be between 0 and %s (%d), got %d."
                    .formatted(names.of(Parameter.MIN_TOKENS), names.of(Parameter.MAX_TOKENS), maxTokens, minTokens));
        }
        params.minTokens(minTokens);
        params.ignoreEos(o.ignoreEos());
        return params.build();
    }

    private static Integer logprobs(Integer top) {
        if (top != null && (top < 0 || top > SamplingParams.MAX_LOGPROBS)) {
            throw InferenceFailure.Rejected.of(Parameter.LOGPROBS, "must be between 0 and %d, got %d."
                    .formatted(SamplingParams.MAX_LOGPROBS, top));
        }
        return top;
    }

    private static double within(Parameter parameter, Double value, double fallback, double min, double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= min && value <= max)) {
            throw InferenceFailure.Rejected.of(parameter, "must be between %s and %s, got %s.".formatted(plain(min),
                    plain(max), value));
        }
        return value;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static List<String> stop(List<String> stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop.size() > SamplingOptions.MAX_STOP_SEQUENCES) {
            throw InferenceFailure.Rejected.of(Parameter.STOP, "holds %d sequences; at most %d are allowed."
                    .formatted(stop.size(), SamplingOptions.MAX_STOP_SEQUENCES));
        }
        if (stop.stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw InferenceFailure.Rejected.of(Parameter.STOP, "cannot contain an empty string or null; remove it.");
        }
        return stop;
    }

    private static List<Integer> stopTokenIds(List<Integer> ids, int vocabulary) {
        if (ids == null) {
            return List.of();
        }
        for (Integer id : ids) {
            if (id == null || id < 0 || id >= vocabulary) {
                throw InferenceFailure.Rejected.of(Parameter.STOP_TOKEN_IDS, "must hold token ids of this model "
                        + "(0 to %d), got %s.".formatted(vocabulary - 1, id));
            }
        }
        return ids;
    }
}
