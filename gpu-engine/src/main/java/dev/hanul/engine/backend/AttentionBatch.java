package dev.hanul.engine.backend;

import java.util.Arrays;

/**
 * Where each token of a forward pass sits in the paged KV cache. Token {@code t} is at position {@code positions[t]}
 * of its sequence, writes its K/V into slot {@code slots[t]}, and attends over positions {@code 0..positions[t]} whose
 * slots are found through its sequence's block table: {@code blockTables[sequenceOf[t]]}.
 */
public record AttentionBatch(int[] positions, int[] slots, int[] sequenceOf, int[][] blockTables, int blockSize) {

    /**
     * A batch of one sequence that owns blocks {@code 0..n} of the store in order, so a position's slot is the
     * position itself: the command line's single-sequence generation and the benchmarks use it.
     */
    public static AttentionBatch ofContiguousSequence(int[] positions, int[] identityTable, int blockSize) {
        return new AttentionBatch(positions, positions.clone(), new int[positions.length], new int[][] {identityTable},
                blockSize);
    }

    /** A block table {@code 0, 1, ..., n-1} covering {@code tokens} tokens. */
    public static int[] identityTable(int tokens, int blockSize) {
        int[] table = new int[(tokens + blockSize - 1) / blockSize];
        Arrays.setAll(table, i -> i);
        return table;
    }

    public int tokens() {
        return positions.length;
    }

    /** The KV slot holding position {@code position} of the sequence that token {@code t} belongs to. */
    public int slotOf(int t, int position) {
        int[] table = blockTables[sequenceOf[t]];
        return table[position / blockSize] * blockSize + position % blockSize;
    }
}
