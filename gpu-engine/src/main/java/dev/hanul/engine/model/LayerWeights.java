package dev.hanul.engine.model;

import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.Weights;

/** The tensors of one transformer block. */
record LayerWeights(
        Buffer attentionNorm, Weights query, Weights key, Weights value, Weights attentionOutput,
        Buffer feedForwardNorm, Weights gate, Weights up, Weights down) {
}
