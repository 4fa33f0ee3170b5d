package dev.hanul.engine.model;

import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;

/** The scratch buffers of a forward pass, sized once for the largest batch a step may carry
 * and for the most rows that need logits (one per sequence in the step). */
final class Activations {

    final int tokenCapacity;
    final int logitCapacity;
    final Buffer x;
    final Buffer normed;
    final Buffer query;
    final Buffer key;
    final Buffer value;
    final Buffer attention;
    final Buffer projected;
    final Buffer gate;
    final Buffer up;
    final Buffer lastRows;
    /** Per-head normalized queries and keys (architectures with Q/K norm), else null. */
    final Buffer normedQuery;
    final Buffer normedKey;
    final Buffer logits;

    Activations(Backend backend, LlamaConfig config, boolean qkNorm, int capacity, int logitCapacity) {
        this.tokenCapacity = capacity;
        this.logitCapacity = logitCapacity;
        int dim = config.embeddingLength();
        x = backend.allocate(capacity * dim);
        normed = backend.allocate(capacity * dim);
        query = backend.allocate(capacity * config.queryDim());
        key = backend.allocate(capacity * config.kvDim());
        value = backend.allocate(capacity * config.kvDim());
        attention = backend.allocate(capacity * config.queryDim());
        projected = backend.allocate(capacity * dim);
        gate = backend.allocate(capacity * config.feedForwardLength());
        up = backend.allocate(capacity * config.feedForwardLength());
        lastRows = backend.allocate(logitCapacity * dim);
        logits = backend.allocate(logitCapacity * config.vocabularySize());
        normedQuery = qkNorm ? backend.allocate(capacity * config.queryDim()) : null;
        normedKey = qkNorm ? backend.allocate(capacity * config.kvDim()) : null;
    }
}
