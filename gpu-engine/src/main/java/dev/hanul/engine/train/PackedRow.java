package dev.hanul.engine.train;

/**
 * Examples laid end to end in one row of at most {@code sequenceLength} tokens. Each token keeps its position within
 * its own example (RoPE restarts at 0) and attends only to tokens of its own example: {@code sequenceStart[t]} is the
 * row index where token {@code t}'s example begins.
 *
 * @param tokens        the row's tokens
 * @param positions     each token's position within its example
 * @param sequenceStart row index of the first token of each token's example
 * @param targets       the token that row position {@code t} predicts (the next one of its example), or -1 at the
 *                      last token of an example
 * @param weights       the loss weight of that prediction (0 where nothing is predicted)
 */
record PackedRow(int[] tokens, int[] positions, int[] sequenceStart, int[] targets, float[] weights) {

    int length() {
        return tokens.length;
    }
}
