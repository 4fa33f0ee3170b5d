package dev.hanul.engine.model;

import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.Weights;

/**
 * The tensors of one transformer block. The optional ones are null when the architecture has none: Q/K/V biases
 * (Qwen2), per-head Q/K RMSNorm gains (Qwen3, Gemma 3), norms after the attention and feed-forward outputs (Gemma).
 */
public record LayerWeights(
        Buffer attentionNorm, Weights query, Weights key, Weights value, Weights attentionOutput,
        Buffer feedForwardNorm, Weights gate, Weights up, Weights down,
        Buffer queryBias, Buffer keyBias, Buffer valueBias,
        Buffer queryNorm, Buffer keyNorm,
        Buffer postAttentionNorm, Buffer postFeedForwardNorm) {
}
