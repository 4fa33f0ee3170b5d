package dev.hanul.engine.sampling;

/** A token and its log probability under the model. */
public record TokenLogprob(int token, float logprob) {
}
