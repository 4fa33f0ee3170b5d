package dev.hanul.engine;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.kv.BlockCopy;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.scheduler.ScheduledBatch;
import dev.hanul.engine.scheduler.Sequence;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.model.LoraBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scheduled batch through the model: performs the block copies, lays the batch's tokens out with their
 * positions, KV slots and block tables (grouped so that each LoRA adapter's rows are contiguous), and returns the
 * logits of the sequences that sample. Owns the KV memory and
 * the forward pass's scratch memory, sized once for the largest step.
 */
final class ModelRunner {

    private final LlamaModel model;
    private final Backend backend;
    private final KvStore kv;
    private final ForwardState state;
    private final int blockSize;

    ModelRunner(LlamaModel model, int blocks, int blockSize, int maxBatchTokens, int maxLogitRows) {
        this.model = model;
        this.backend = model.backend();
        this.blockSize = blockSize;
        this.kv = backend.allocateKv(model.config().blockCount(), blocks * blockSize, model.config().kvDim());
        this.state = model.newState(maxBatchTokens, maxLogitRows);
    }

    /** The logits of the sampling sequences, one row of the vocabulary each, in batch order. */
    float[] run(ScheduledBatch batch) {
        for (BlockCopy copy : batch.copies()) {
            backend.copySlots(kv, copy.from() * blockSize, copy.to() * blockSize, blockSize);
        }
        List<Sequence> sequences = batch.sequences();
        int total = batch.tokens();
        int[] tokens = new int[total];
        int[] positions = new int[total];
        int[] slots = new int[total];
        int[] sequenceOf = new int[total];
        int[][] tables = new int[sequences.size()][];
        int[] lastToken = new int[sequences.size()];
        List<LoraBatch.Segment> segments = new ArrayList<>();
        int t = 0;
        // Base-model sequences first, then each adapter's together: an adapter's rows form one segment.
        for (int i : adapterOrder(sequences)) {
            Sequence sequence = sequences.get(i);
            int first = t;
            tables[i] = sequence.blockTable().toArray();
            for (int j = 0; j < batch.counts()[i]; j++, t++) {
                int position = sequence.computed() + j;
                tokens[t] = sequence.token(position);
                positions[t] = position;
                slots[t] = tables[i][position / blockSize] * blockSize + position % blockSize;
                sequenceOf[t] = i;
            }
            lastToken[i] = t - 1;
            LoraAdapter adapter = sequence.adapter();
            if (adapter != null && t > first) {
                LoraBatch.Segment last = segments.isEmpty() ? null : segments.getLast();
                if (last != null && last.adapter() == adapter && last.from() + last.count() == first) {
                    segments.set(segments.size() - 1, new LoraBatch.Segment(adapter, last.from(), t - last.from()));
                } else {
                    segments.add(new LoraBatch.Segment(adapter, first, t - first));
                }
            }
        }
        int[] logitTokens = new int[sequences.size()];
        int logitRows = 0;
        for (int i = 0; i < sequences.size(); i++) {
            if (batch.sampling()[i]) {
                logitTokens[logitRows++] = lastToken[i];
            }
        }
        AttentionBatch attention = new AttentionBatch(positions, slots, sequenceOf, tables, blockSize);
        return model.forward(state, tokens, attention, kv, Arrays.copyOf(logitTokens, logitRows),
                segments.isEmpty() ? LoraBatch.NONE : new LoraBatch(segments));
    }

    /** Indices of the batch's sequences, base model first, then grouped by adapter (stable within each group). */
    private static int[] adapterOrder(List<Sequence> sequences) {
        Map<LoraAdapter, Integer> groups = new IdentityHashMap<>();
        for (Sequence sequence : sequences) {
            if (sequence.adapter() != null) {
                groups.putIfAbsent(sequence.adapter(), groups.size() + 1);
            }
        }
        Integer[] order = new Integer[sequences.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!groups.isEmpty()) {
            Arrays.sort(order, Comparator.comparingInt(i -> {
                LoraAdapter adapter = sequences.get(i).adapter();
                return adapter == null ? 0 : groups.get(adapter);
            }));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
