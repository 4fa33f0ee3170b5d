package dev.hanul.openai;

import dev.hanul.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns the sampling fields of a request into the engine's {@link SamplingParams}, with OpenAI's ranges (temperature
 * up to 2) and defaults (temperature 1, top_p 1, n 1). Each value is checked here so the 400 names its parameter.
 */
final class SamplingParamsMapper {

    static final int MAX_STOP_SEQUENCES = 4;

    private SamplingParamsMapper() {
    }

    /**
     * @param maxTokens from {@link TokenBudget}
     * @param logprobs  alternatives per token to report, or null for no log probabilities
     * @param maxN      the most samples per request: the sequences the engine runs at once
     */
    static SamplingParams map(SamplingFields fields, int maxTokens, Integer logprobs, int maxN) {
        var params = SamplingParams.builder().maxTokens(maxTokens).logprobs(logprobs);
        params.temperature((float) within("temperature", fields.temperature(), 1, 0, 2));
        if (fields.topP() != null && !(fields.topP() > 0 && fields.topP() <= 1)) {
            throw OpenAiException.invalid("top_p", "top_p must be in (0, 1], got " + fields.topP() + ".");
        }
        params.topP(fields.topP() == null ? 1f : fields.topP().floatValue());
        int n = fields.n() == null ? 1 : fields.n();
        if (n < 1 || n > maxN) {
            throw OpenAiException.invalid("n", ("n must be between 1 and %d (the sequences this service decodes at "
                    + "once, hanul.model.max-running-sequences), got %d.").formatted(maxN, n));
        }
        params.n(n);
        params.stop(stop(fields.stop()));
        params.stopTokenIds(stopTokenIds(fields.stopTokenIds()));
        params.seed(fields.seed());
        params.presencePenalty((float) within("presence_penalty", fields.presencePenalty(), 0, -2, 2));
        params.frequencyPenalty((float) within("frequency_penalty", fields.frequencyPenalty(), 0, -2, 2));
        int topK = fields.topK() == null ? 0 : fields.topK();
        if (topK < -1) {
            throw OpenAiException.invalid("top_k", "top_k must be -1 or 0 (keep all tokens) or at least 1, got "
                    + topK + ".");
        }
        params.topK(topK);
        params.minP((float) within("min_p", fields.minP(), 0, 0, 1));
        if (fields.repetitionPenalty() != null && !(fields.repetitionPenalty() > 0
                && Double.isFinite(fields.repetitionPenalty()))) {
            throw OpenAiException.invalid("repetition_penalty", "repetition_penalty must be greater than 0 (1 turns "
                    + "it off), got " + fields.repetitionPenalty() + ".");
        }
        params.repetitionPenalty(fields.repetitionPenalty() == null ? 1f : fields.repetitionPenalty().floatValue());
        params.ignoreEos(Boolean.TRUE.equals(fields.ignoreEos()));
        int minTokens = fields.minTokens() == null ? 0 : fields.minTokens();
        if (minTokens < 0 || minTokens > maxTokens) {
            throw OpenAiException.invalid("min_tokens", "min_tokens must be between 0 and max_tokens (%d), got %d."
                    .formatted(maxTokens, minTokens));
        }
        params.minTokens(minTokens);
        JsonNode bias = fields.logitBias();
        if (bias != null && !bias.isNull() && !(bias.isObject() && bias.isEmpty())) {
            throw OpenAiException.invalid("logit_bias", "logit_bias is not supported by this service; leave it out.");
        }
        return params.build();
    }

    private static double within(String param, Double value, double fallback, double min, double max) {
        if (value == null) {
            return fallback;
        }
        if (!(value >= min && value <= max)) {
            throw OpenAiException.invalid(param, "%s must be between %s and %s, got %s.".formatted(param,
                    plain(min), plain(max), value));
        }
        return value;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Whether each id is in the vocabulary the engine checks when it accepts the request. */
    private static List<Integer> stopTokenIds(List<Integer> ids) {
        if (ids == null) {
            return List.of();
        }
        for (Integer id : ids) {
            if (id == null || id < 0) {
                throw OpenAiException.invalid("stop_token_ids", "stop_token_ids must hold token ids (integers from "
                        + "0), got " + id + ".");
            }
        }
        return ids;
    }

    /** A string or an array of strings, as OpenAI accepts it; null and an empty array mean none. */
    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (stop.isString()) {
            strings.add(stop.stringValue());
        } else if (stop.isArray()) {
            for (JsonNode element : stop) {
                if (!element.isString()) {
                    throw OpenAiException.invalid("stop", "stop must be a string or an array of strings; it holds "
                            + element.getNodeType().name().toLowerCase() + ".");
                }
                strings.add(element.stringValue());
            }
        } else {
            throw OpenAiException.invalid("stop", "stop must be a string or an array of strings, got "
                    + stop.getNodeType().name().toLowerCase() + ".");
        }
        if (strings.size() > MAX_STOP_SEQUENCES) {
            throw OpenAiException.invalid("stop", "stop holds %d sequences; at most %d are allowed."
                    .formatted(strings.size(), MAX_STOP_SEQUENCES));
        }
        if (strings.contains("")) {
            throw OpenAiException.invalid("stop", "stop cannot contain an empty string.");
        }
        return strings;
    }
}
