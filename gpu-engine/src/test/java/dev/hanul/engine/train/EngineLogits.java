package dev.hanul.engine.train;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.model.LoraBatch;
import java.util.List;

/** The serving engine's logits for every position of one prompt, with or without an adapter. */
final class EngineLogits {

    private EngineLogits() {
    }

    static float[] of(LlamaModel model, int[] tokens, LoraAdapter adapter) {
        int n = tokens.length;
        int[] positions = new int[n];
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
            rows[i] = i;
        }
        KvStore kv = model.backend().allocateKv(model.config().blockCount(), ((n + 15) / 16) * 16,
                model.config().kvDim());
        AttentionBatch batch = AttentionBatch.ofContiguousSequence(positions, AttentionBatch.identityTable(n, 16), 16);
        LoraBatch lora = adapter == null ? LoraBatch.NONE : new LoraBatch(List.of(new LoraBatch.Segment(adapter, 0, n)));
        return model.forward(model.newState(n, n), tokens, batch, kv, rows, lora);
    }

    static float maxDifference(float[] a, float[] b) {
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
