package dev.hanul.engine.scheduler;

import dev.hanul.engine.kv.BlockCopy;
import java.util.List;

/**
 * What one step computes: for each sequence, its next {@code counts[i]} tokens (starting at its computed count), and
 * the block copies to make first. A sequence whose chunk reaches its last token ({@code sampling[i]}) gets logits and
 * samples its next token.
 */
public record ScheduledBatch(List<Sequence> sequences, int[] counts, boolean[] sampling, List<BlockCopy> copies) {

    public int tokens() {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    public boolean isEmpty() {
        return sequences.isEmpty();
    }
}
