package dev.hanul.engine;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.kv.BlockCopy;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.scheduler.ScheduledBatch;
import dev.hanul.engine.scheduler.Sequence;
import java.util.Arrays;

/**
 * Runs a scheduled batch through the model: performs the block copies, lays the batch's tokens out with their
 * positions, KV slots and block tables, and returns the logits of the sequences that sample. Owns the KV memory and
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
        int total = batch.tokens();
        int[] tokens = new int[total];
        int[] positions = new int[total];
        int[] slots = new int[total];
        int[] sequenceOf = new int[total];
        int[][] tables = new int[batch.sequences().size()][];
        int[] logitTokens = new int[batch.sequences().size()];
        int logitRows = 0;
        int t = 0;
        for (int i = 0; i < tables.length; i++) {
            Sequence sequence = batch.sequences().get(i);
            tables[i] = sequence.blockTable().toArray();
            for (int j = 0; j < batch.counts()[i]; j++, t++) {
                int position = sequence.computed() + j;
                tokens[t] = sequence.token(position);
                positions[t] = position;
                slots[t] = tables[i][position / blockSize] * blockSize + position % blockSize;
                sequenceOf[t] = i;
            }
            if (batch.sampling()[i]) {
                logitTokens[logitRows++] = t - 1;
            }
        }
        AttentionBatch attention = new AttentionBatch(positions, slots, sequenceOf, tables, blockSize);
        return model.forward(state, tokens, attention, kv, Arrays.copyOf(logitTokens, logitRows));
    }
}
