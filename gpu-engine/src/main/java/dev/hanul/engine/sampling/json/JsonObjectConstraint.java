package dev.hanul.engine.sampling.json;

import dev.hanul.engine.sampling.TokenConstraint;

/**
 * One sample's constraint to a JSON object ({@code response_format: json_object}): the recognizer state of its text
 * so far, and the grammar's allowed sets to mask with. Made by {@link JsonObjectGrammar#create()}.
 */
final class JsonObjectConstraint implements TokenConstraint {

    private final JsonObjectGrammar grammar;
    private long state = JsonRecognizer.START;

    JsonObjectConstraint(JsonObjectGrammar grammar) {
        this.grammar = grammar;
    }

    @Override
    public void mask(float[] logits, int offset, int vocabulary) {
        long[] allowed = grammar.allowed(state);
        // Logit rows may be longer than the tokenizer's vocabulary (padded embeddings): those tokens have no text.
        int known = Math.min(vocabulary, grammar.vocabularySize());
        for (int word = 0; word < allowed.length; word++) {
            long bits = allowed[word];
            if (bits == -1L) {
                continue;
            }
            int end = Math.min(known, (word + 1) * 64);
            for (int token = word * 64; token < end; token++) {
                if ((bits & 1L << token) == 0) {
                    logits[offset + token] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        for (int token = known; token < vocabulary; token++) {
            logits[offset + token] = Float.NEGATIVE_INFINITY;
        }
    }

    @Override
    public void accept(int token) {
        long next = grammar.advance(state, token);
        if (next != JsonRecognizer.INVALID) {
            state = next;
        }
    }

    @Override
    public boolean complete() {
        return new JsonRecognizer().reset(state).complete();
    }
}
