package dev.hanul.inference;

import java.util.List;

/**
 * The sampling a request asks for, in no API's terms: each API fills it from its own fields and defaults, and
 * {@link SamplingRules} checks it and turns it into the engine's parameters. Null means "not given": the engine's
 * neutral value (no penalty, no cut-off), except for {@code temperature}, which every API defaults itself.
 *
 * @param logprobs alternatives to report per token (0 for the chosen token's only); null for no log probabilities
 */
public record SamplingOptions(Double temperature, Double topP, Integer topK, Double minP, Integer n, Long seed,
                              List<String> stop, List<Integer> stopTokenIds, Double presencePenalty,
                              Double frequencyPenalty, Double repetitionPenalty, Integer minTokens, Integer logprobs,
                              boolean ignoreEos) {

    /** The most stop strings a request may give (OpenAI's and TGI's limit). */
    public static final int MAX_STOP_SEQUENCES = 4;
}
