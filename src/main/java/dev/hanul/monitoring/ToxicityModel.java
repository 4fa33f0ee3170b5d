package dev.hanul.monitoring;

/**
 * A toxicity classifier the quality scores can use (the guardrails provide one, {@code dev.hanul.guard}); without a
 * bean of this type, or while it has no model, interactions get no toxicity score.
 */
public interface ToxicityModel {

    /** @return the probability that the text is toxic, or NaN when no model is installed */
    double toxicity(String text);
}
