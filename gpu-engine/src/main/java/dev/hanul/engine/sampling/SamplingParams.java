package dev.hanul.engine.sampling;

import java.util.List;

/**
 * How to pick the next token and when to stop, with the meanings and defaults of vLLM's SamplingParams.
 *
 * @param temperature 0 for greedy decoding, otherwise logits are divided by it
 * @param topK        keep the k most likely tokens; 0 or -1 keeps all
 * @param topP        keep the smallest set of tokens whose probability reaches p; 1 keeps all
 * @param minP        drop tokens less likely than minP times the most likely one; 0 keeps all
 * @param seed        seed of the random choice; null draws one
 * @param maxTokens   the most tokens to generate
 * @param stop        strings that end generation (not included in the output)
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, Long seed, int maxTokens,
                             List<String> stop) {

    public static final SamplingParams GREEDY = new SamplingParams(0f, 0, 1f, 0f, null, 256, List.of());

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        check(temperature >= 0 && Float.isFinite(temperature), "temperature", temperature, "must be >= 0");
        check(topK >= -1, "top_k", topK, "must be -1, 0 (all tokens) or a positive count");
        check(topP > 0 && topP <= 1, "top_p", topP, "must be in (0, 1]");
        check(minP >= 0 && minP <= 1, "min_p", minP, "must be in [0, 1]");
        check(maxTokens >= 1, "max_tokens", maxTokens, "must be at least 1");
        for (String s : stop) {
            check(!s.isEmpty(), "stop", "\"\"", "must not contain empty strings");
        }
    }

    public boolean greedy() {
        return temperature == 0f;
    }

    public SamplingParams withMaxTokens(int maxTokens) {
        return new SamplingParams(temperature, topK, topP, minP, seed, maxTokens, stop);
    }

    private static void check(boolean valid, String parameter, Object value, String rule) {
        if (!valid) {
            throw new IllegalArgumentException("%s = %s is invalid: %s".formatted(parameter, value, rule));
        }
    }
}
