package dev.hanul.engine.sampling;

/**
 * Limits which tokens one sample may produce, for structured output (vLLM's guided decoding): before each draw the
 * sampler asks it to mask the tokens that may not come next, and afterwards tells it which token was chosen. Each
 * sample has its own instance (its own state), made by the {@link Factory} in {@link SamplingParams#constraint()}, so
 * the n samples of a request and the sequences sharing a batch never see each other's state.
 *
 * <p>The mask only changes which tokens can be drawn: log probabilities are still reported from the model's own
 * distribution, as vLLM does.
 */
public interface TokenConstraint {

    /**
     * Sets to negative infinity the logits of {@code logits[offset .. offset + vocabulary)} whose tokens may not come
     * next; the row is the sampler's own copy. Not called once {@link #complete()}: then only the sequence's stop
     * tokens may follow.
     */
    void mask(float[] logits, int offset, int vocabulary);

    /**
     * The token the sampler chose. It is one the mask allowed, or a stop token drawn once the output is complete,
     * which ends the sample; a token the constraint cannot follow leaves its state as it was.
     */
    void accept(int token);

    /** Whether the output so far is a whole value: nothing but the end of the sequence may follow. */
    boolean complete();

    /**
     * Whether the output so far is whole though it could still grow (a regex such as {@code [0-9]+} after "12"): then
     * the stop tokens may be drawn besides the tokens the mask allows. Defaults to {@link #complete()}.
     */
    default boolean mayEnd() {
        return complete();
    }

    /** Makes the constraint of each sample; shared by the samples of a request, so it must be thread-safe. */
    @FunctionalInterface
    interface Factory {
        TokenConstraint create();
    }
}
