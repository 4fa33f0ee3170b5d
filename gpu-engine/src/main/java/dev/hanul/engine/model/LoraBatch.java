package dev.hanul.engine.model;

import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import java.util.List;

/**
 * Which rows of a forward pass's batch use which LoRA adapter: contiguous segments (the engine's runner orders a
 * step's sequences by adapter, so each adapter's rows are one run). Rows in no segment use the base model alone.
 */
public record LoraBatch(List<Segment> segments) {

    /** Every row on the base model. */
    public static final LoraBatch NONE = new LoraBatch(List.of());

    /** Rows {@code [from, from + count)} of the batch use {@code adapter}. */
    public record Segment(LoraAdapter adapter, int from, int count) {
    }

    public LoraBatch {
        segments = List.copyOf(segments);
    }

    /** Whether any row's adapter changes matrices of kind {@code target}. */
    boolean adapts(LoraTarget target) {
        for (Segment segment : segments) {
            if (segment.adapter().targets().contains(target)) {
                return true;
            }
        }
        return false;
    }

    int maxRank() {
        int rank = 0;
        for (Segment segment : segments) {
            rank = Math.max(rank, segment.adapter().rank());
        }
        return rank;
    }
}
