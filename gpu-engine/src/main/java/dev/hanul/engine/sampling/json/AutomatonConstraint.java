package dev.hanul.engine.sampling.json;

import dev.hanul.engine.sampling.TokenConstraint;

/** One sample's position in an {@link AutomatonGrammar}'s DFA. */
final class AutomatonConstraint implements TokenConstraint {

    private final AutomatonGrammar grammar;
    private int state;

    AutomatonConstraint(AutomatonGrammar grammar) {
        this.grammar = grammar;
        this.state = grammar.initialState();
    }

    @Override
    public void mask(float[] logits, int offset, int vocabulary) {
        long[] allowed = grammar.allowed(state);
        int known = Math.min(vocabulary, grammar.vocabularySize());
        for (int word = 0; word * 64 < known; word++) {
            long bits = allowed[word];
            if (bits == -1L) {
                continue;
            }
            int from = word * 64;
            int end = Math.min(known, from + 64);
            if (bits == 0) {
                java.util.Arrays.fill(logits, offset + from, offset + end, Float.NEGATIVE_INFINITY);
                continue;
            }
            for (int token = from; token < end; token++) {
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
        int next = grammar.advance(state, token);
        if (next >= 0) {
            state = next;
        }
    }

    @Override
    public boolean complete() {
        return grammar.accepts(state) && grammar.terminal(state);
    }

    @Override
    public boolean mayEnd() {
        return grammar.accepts(state);
    }
}
