package dev.hanul.engine.generate;

/**
 * The outcome of one generation: the text (without a matched stop string), its token ids, and counts and timings.
 *
 * @param promptTokens   tokens in the prompt
 * @param computedPrompt prompt tokens that were computed (the rest reused cached K/V)
 * @param prefillNanos   time to process the prompt, up to the first generated token
 * @param decodeNanos    time spent producing the tokens after the first
 */
public record Generation(String text, int[] tokens, FinishReason finishReason, int promptTokens, int computedPrompt,
                         long prefillNanos, long decodeNanos) {

    public double decodeTokensPerSecond() {
        return tokens.length > 1 ? (tokens.length - 1) / (decodeNanos / 1e9) : 0;
    }

    public double prefillTokensPerSecond() {
        return computedPrompt / (prefillNanos / 1e9);
    }
}
