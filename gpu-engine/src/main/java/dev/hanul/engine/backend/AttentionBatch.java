package dev.hanul.engine.backend;

/**
 * Where each token of a forward pass sits in the paged KV cache. Token {@code t} is at position {@code positions[t]}
 * of its sequence, writes its K/V into slot {@code slots[t]}, and attends over positions {@code 0..positions[t]} whose
 * slots are found through its sequence's block table: {@code blockTables[sequenceOf[t]]}.
 */
public record AttentionBatch(int[] positions, int[] slots, int[] sequenceOf, int[][] blockTables, int blockSize) {

    public int tokens() {
        return positions.length;
    }

    /** The KV slot holding position {@code position} of the sequence that token {@code t} belongs to. */
    public int slotOf(int t, int position) {
        int[] table = blockTables[sequenceOf[t]];
        return table[position / blockSize] * blockSize + position % blockSize;
    }
}
