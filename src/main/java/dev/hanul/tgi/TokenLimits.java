package dev.hanul.tgi;

import dev.hanul.inference.RoutedModel;

/**
 * How long a request may be, as TGI's /info reports it: the context the model was trained for, bounded by what the KV
 * cache holds (a request that does not fit it could never run).
 */
record TokenLimits(int maxInputTokens, int maxTotalTokens) {

    static TokenLimits of(RoutedModel model) {
        int total = model.window();
        // At least one token must be left to generate.
        return new TokenLimits(total - 1, total);
    }
}
