package dev.hanul.engine.sampling;

import java.util.List;

/**
 * How to pick the next token and when to stop, with the meanings, defaults and error messages of vLLM's
 * SamplingParams.
 *
 * @param temperature       0 for greedy decoding, otherwise logits are divided by it
 * @param topK              keep the k most likely tokens; 0 or -1 keeps all
 * @param topP              keep the smallest set of tokens whose probability reaches p; 1 keeps all
 * @param minP              drop tokens less likely than minP times the most likely one; 0 keeps all
 * @param seed              seed of the random choice; null draws one
 * @param maxTokens         the most tokens to generate
 * @param stop              strings that end generation (not included in the output)
 * @param stopTokenIds      tokens that end generation besides the model's end-of-sequence tokens (not included)
 * @param minTokens         stop tokens are impossible until this many tokens were generated
 * @param ignoreEos         go on past the model's end-of-sequence tokens
 * @param repetitionPenalty above 1 makes tokens already in the prompt or output less likely (divides a positive
 *                          logit, multiplies a negative one); 1 is off
 * @param presencePenalty   subtracted from the logit of every token already in the output; in [-2, 2]
 * @param frequencyPenalty  subtracted once per occurrence in the output; in [-2, 2]
 * @param n                 how many completions to sample for the one prompt (they share its KV blocks)
 * @param logprobs          null for none, else the log probability of each sampled token plus this many of the
 *                          most likely alternatives (0 to 20), from the model's distribution before sampling
 * @param constraint        null for free text, else makes each sample's {@link TokenConstraint} (for example a JSON
 *                          object); the sample ends when the constraint is complete and a stop token follows
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, Long seed, int maxTokens,
                             List<String> stop, List<Integer> stopTokenIds, int minTokens, boolean ignoreEos,
                             float repetitionPenalty, float presencePenalty, float frequencyPenalty, int n,
                             Integer logprobs, TokenConstraint.Factory constraint) {

    public static final int MAX_LOGPROBS = 20;
    public static final SamplingParams GREEDY = builder().temperature(0f).maxTokens(256).build();

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
        check(n >= 1, "n must be at least 1, got %s.", n);
        check(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty must be in [-2, 2], got %s.",
                presencePenalty);
        check(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty must be in [-2, 2], got %s.",
                frequencyPenalty);
        check(repetitionPenalty > 0 && Float.isFinite(repetitionPenalty),
                "repetition_penalty must be greater than zero, got %s.", repetitionPenalty);
        check(temperature >= 0 && Float.isFinite(temperature), "temperature must be non-negative, got %s.",
                temperature);
        check(topP > 0 && topP <= 1, "top_p must be in (0, 1], got %s.", topP);
        check(topK >= -1, "top_k must be 0 or -1 (disable), or at least 1, got %s.", topK);
        check(minP >= 0 && minP <= 1, "min_p must be in [0, 1], got %s.", minP);
        check(maxTokens >= 1, "max_tokens must be at least 1, got %s.", maxTokens);
        check(minTokens >= 0, "min_tokens must be greater than or equal to 0, got %s.", minTokens);
        check(minTokens <= maxTokens, "min_tokens must be less than or equal to max_tokens=" + maxTokens
                + ", got %s.", minTokens);
        check(logprobs == null || (logprobs >= 0 && logprobs <= MAX_LOGPROBS),
                "logprobs must be in [0, " + MAX_LOGPROBS + "], got %s.", logprobs);
        if (stop.contains("")) {
            throw new IllegalArgumentException("stop cannot contain an empty string.");
        }
        for (int id : stopTokenIds) {
            check(id >= 0, "stop_token_ids must not be negative, got %s.", id);
        }
    }

    /** The parameters of the first releases: sampling and stop strings only, every other setting at its default. */
    public SamplingParams(float temperature, int topK, float topP, float minP, Long seed, int maxTokens,
                          List<String> stop) {
        this(temperature, topK, topP, minP, seed, maxTokens, stop, List.of(), 0, false, 1f, 0f, 0f, 1, null, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    /** Whether any penalty changes the logits. */
    public boolean penalized() {
        return repetitionPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f;
    }

    public SamplingParams withMaxTokens(int maxTokens) {
        return toBuilder().maxTokens(maxTokens).build();
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topK(topK).topP(topP).minP(minP).seed(seed)
                .maxTokens(maxTokens).stop(stop).stopTokenIds(stopTokenIds).minTokens(minTokens).ignoreEos(ignoreEos)
                .repetitionPenalty(repetitionPenalty).presencePenalty(presencePenalty)
                .frequencyPenalty(frequencyPenalty).n(n).logprobs(logprobs).constraint(constraint);
    }

    private static void check(boolean valid, String message, Object value) {
        if (!valid) {
            throw new IllegalArgumentException(message.formatted(value));
        }
    }

    /** Builds parameters from vLLM's defaults (temperature 1, nothing filtered, 16 tokens). */
    public static final class Builder {

        private float temperature = 1f;
        private int topK = 0;
        private float topP = 1f;
        private float minP = 0f;
        private Long seed;
        private int maxTokens = 16;
        private List<String> stop = List.of();
        private List<Integer> stopTokenIds = List.of();
        private int minTokens;
        private boolean ignoreEos;
        private float repetitionPenalty = 1f;
        private float presencePenalty;
        private float frequencyPenalty;
        private int n = 1;
        private Integer logprobs;
        private TokenConstraint.Factory constraint;

        private Builder() {
        }

        public Builder temperature(float value) {
            temperature = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder topP(float value) {
            topP = value;
            return this;
        }

        public Builder minP(float value) {
            minP = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder maxTokens(int value) {
            maxTokens = value;
            return this;
        }

        public Builder stop(List<String> value) {
            stop = value;
            return this;
        }

        public Builder stopTokenIds(List<Integer> value) {
            stopTokenIds = value;
            return this;
        }

        public Builder minTokens(int value) {
            minTokens = value;
            return this;
        }

        public Builder ignoreEos(boolean value) {
            ignoreEos = value;
            return this;
        }

        public Builder repetitionPenalty(float value) {
            repetitionPenalty = value;
            return this;
        }

        public Builder presencePenalty(float value) {
            presencePenalty = value;
            return this;
        }

        public Builder frequencyPenalty(float value) {
            frequencyPenalty = value;
            return this;
        }

        public Builder n(int value) {
            n = value;
            return this;
        }

        public Builder logprobs(Integer value) {
            logprobs = value;
            return this;
        }

        public Builder constraint(TokenConstraint.Factory value) {
            constraint = value;
            return this;
        }

        public SamplingParams build() {
            return new SamplingParams(temperature, topK, topP, minP, seed, maxTokens, stop, stopTokenIds, minTokens,
                    ignoreEos, repetitionPenalty, presencePenalty, frequencyPenalty, n, logprobs, constraint);
        }
    }
}
