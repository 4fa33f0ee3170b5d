package dev.hanul.openai;

import dev.hanul.engine.sampling.TokenLogprob;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A token as log probabilities show it: its decoded text (a token that holds part of a character shows a
 * replacement character, as in vLLM; its {@code bytes} are exact), and a finite log probability.
 */
final class TokenText {

    /** vLLM's stand-in for a log probability of minus infinity, which JSON cannot carry. */
    private static final double MIN_LOGPROB = -9999.0;

    private final Tokenizer tokenizer;

    TokenText(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    String text(int token) {
        byte[] bytes = tokenizer.tokenBytes(token);
        return bytes.length == 0 && tokenizer.isSpecial(token) ? tokenizer.token(token)
                : new String(bytes, StandardCharsets.UTF_8);
    }

    List<Integer> bytes(int token) {
        byte[] bytes = tokenizer.tokenBytes(token);
        if (bytes.length == 0 && tokenizer.isSpecial(token)) {
            bytes = tokenizer.token(token).getBytes(StandardCharsets.UTF_8);
        }
        var list = new ArrayList<Integer>(bytes.length);
        for (byte b : bytes) {
            list.add(b & 0xff);
        }
        return list;
    }

    static double logprob(TokenLogprob logprob) {
        return Math.max(MIN_LOGPROB, logprob.logprob());
    }
}
