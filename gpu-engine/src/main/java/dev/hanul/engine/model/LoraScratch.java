package dev.hanul.engine.model;

import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;

/**
 * Scratch memory for LoRA deltas, made when a pass first carries an adapter (and again for a larger rank): the rows
 * of one adapter's segment gathered ({@code in}), their {@code A x} ({@code mid}), {@code B A x} ({@code delta}) and
 * the output rows they are added to ({@code rows}).
 */
final class LoraScratch {

    final int rank;
    final Buffer in;
    final Buffer mid;
    final Buffer delta;
    final Buffer rows;

    LoraScratch(Backend backend, LlamaConfig config, int tokens, int rank) {
        this.rank = rank;
        int widest = Math.max(Math.max(config.embeddingLength(), config.queryDim()),
                Math.max(config.kvDim(), config.feedForwardLength()));
        in = backend.allocate(tokens * widest);
        mid = backend.allocate(tokens * rank);
        delta = backend.allocate(tokens * widest);
        rows = backend.allocate(tokens * widest);
    }
}
