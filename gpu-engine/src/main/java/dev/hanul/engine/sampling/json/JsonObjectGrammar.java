package dev.hanul.engine.sampling.json;

import dev.hanul.engine.sampling.TokenConstraint;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which tokens of one vocabulary may continue a JSON object from a {@link JsonRecognizer} state: the factory of
 * {@link JsonObjectConstraint}s for one model. Build it once per tokenizer and share it: it decodes every token once
 * (the bytes the token stands for, possibly part of a UTF-8 character, read as JSON text), and remembers the allowed
 * set of recently seen states, because a generation revisits the same few states (inside a string at the same depth,
 * after a comma, ...) at most steps. Thread-safe.
 *
 * <p>A token's leading space that a SentencePiece detokenizer drops from the first piece is whitespace before the
 * object, so testing the token's own bytes decides the same.
 */
public final class JsonObjectGrammar implements TokenConstraint.Factory {

    /** States whose allowed sets are kept: each costs vocabulary / 8 bytes (6 KiB for 49,152 tokens). */
    private static final int CACHED_STATES = 1024;

    private final byte[][] tokens;
    private final Map<Long, long[]> allowedByState = new LinkedHashMap<>(CACHED_STATES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > CACHED_STATES;
        }
    };

    public JsonObjectGrammar(Tokenizer tokenizer) {
        tokens = new byte[tokenizer.vocabularySize()][];
        for (int id = 0; id < tokens.length; id++) {
            tokens[id] = tokenizer.tokenBytes(id);
        }
    }

    @Override
    public TokenConstraint create() {
        return new JsonObjectConstraint(this);
    }

    /**
     * The tokens whose bytes continue a valid prefix from {@code state}, as a bit set (bit t of word t / 64). Tokens
     * that decode to nothing (control tokens) are never allowed: they would not move the text forward.
     */
    long[] allowed(long state) {
        synchronized (allowedByState) {
            long[] cached = allowedByState.get(state);
            if (cached != null) {
                return cached;
            }
        }
        long[] allowed = compute(state);
        synchronized (allowedByState) {
            allowedByState.put(state, allowed);
        }
        return allowed;
    }

    /** The state after the token, or {@link JsonRecognizer#INVALID}. */
    long advance(long state, int token) {
        if (token < 0 || token >= tokens.length) {
            return JsonRecognizer.INVALID;
        }
        return new JsonRecognizer().advance(state, tokens[token]);
    }

    int vocabularySize() {
        return tokens.length;
    }

    private long[] compute(long state) {
        long[] allowed = new long[(tokens.length + 63) / 64];
        JsonRecognizer scratch = new JsonRecognizer();
        for (int id = 0; id < tokens.length; id++) {
            byte[] bytes = tokens[id];
            if (bytes.length > 0 && scratch.advance(state, bytes) != JsonRecognizer.INVALID) {
                allowed[id >>> 6] |= 1L << id;
            }
        }
        return allowed;
    }
}
