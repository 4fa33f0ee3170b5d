package dev.hanul.engine.backend;

import dev.hanul.engine.gguf.GgufTensor;

/**
 * The operations a Llama forward pass needs, over a batch of {@code tokens} rows. The model is written once against
 * this interface; the CPU and CUDA backends implement it. Row-major layouts: an activation buffer holds
 * {@code tokens} rows of {@code width} floats.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** Makes a weight tensor usable by this backend, keeping its quantized format. */
    Weights weights(GgufTensor tensor);

    /** A vector of floats (norm gains), dequantized. */
    Buffer vector(GgufTensor tensor);

    Buffer allocate(int floats);

    KvStore allocateKv(int layers, int slots, int kvDim);

    /** {@code out[t] = embedding row tokens[t]}. */
    void embed(Weights table, int[] tokens, Buffer out);

    /** {@code out[t] = W x[t]} for the first {@code tokens} rows of {@code x}. */
    void matmul(Weights w, Buffer x, Buffer out, int tokens);

    /**
     * {@code out[i][t] = w[i] x[t]} for matrices that share their input (a layer's query, key and value): the same as
     * one {@link #matmul} each, which is what this default does; a backend may prepare the input once and run the
     * products as one parallel region.
     */
    default void matmuls(Weights[] w, Buffer x, Buffer[] out, int tokens) {
        for (int i = 0; i < w.length; i++) {
            matmul(w[i], x, out[i], tokens);
        }
    }

    /**
     * The SwiGLU feed-forward input: {@code gateOut[t] = silu(gate x[t]) * (up x[t])}, with {@code upOut} as scratch.
     * The same as two {@link #matmul}s and {@link #swiglu}, which is what this default does; a backend may fuse them.
     */
    default void swigluMatmul(Weights gate, Weights up, Buffer x, Buffer gateOut, Buffer upOut, int tokens) {
        matmul(gate, x, gateOut, tokens);
        matmul(up, x, upOut, tokens);
        swiglu(gateOut, upOut, tokens * gate.rows());
    }

    /** {@code out[t] = x[t] / rms(x[t]) * gain}. */
    void rmsNorm(Buffer x, Buffer gain, Buffer out, int tokens, int width, float eps);

    /**
     * Rotates pairs of each head's first {@code rotaryDim} features by position (GGML's "normal" RoPE: adjacent
     * pairs), with {@code inverseFrequencies[i]} the angle per position of pair {@code i}.
     */
    void rope(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions, float[] inverseFrequencies);

    /** Writes each token's key and value rows into its KV slot. */
    void storeKv(KvStore kv, int layer, Buffer k, Buffer v, AttentionBatch batch);

    /**
     * Copies the keys and values of slots {@code [from, from + count)} to {@code [to, to + count)} in every layer: the
     * copy in copy-on-write, when a sequence is about to write into a block it shares with another.
     */
    void copySlots(KvStore kv, int from, int to, int count);

    /** Causal grouped-query attention of each token over its sequence's cached keys and values. */
    void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads, int kvHeads,
                   int headDim);

    /**
     * Attention as {@link #attention(KvStore, int, Buffer, Buffer, AttentionBatch, int, int, int)} with the variations
     * some architectures need: a score scale other than 1/sqrt(headDim), tanh soft-capping of the scores (Gemma 2)
     * and a sliding window over the most recent positions (Gemma 2/3 local layers).
     */
    void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads, int kvHeads,
                   int headDim, AttentionOptions options);

    /**
     * RoPE in GGML's "NEOX" layout: feature {@code i} of a head's first {@code rotaryDim} pairs with feature
     * {@code i + rotaryDim / 2} (Hugging Face's rotate_half), the layout of Qwen, Gemma and Phi-3 weights. The
     * rotated features are also multiplied by {@code magnitude} (LongRoPE's attention factor scales cos and sin; 1 for
     * plain RoPE); features past {@code rotaryDim} pass through unchanged.
     */
    void ropeNeox(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
                  float[] inverseFrequencies, float magnitude);

    /** {@code x[t] += bias} for each of the first {@code tokens} rows of width {@code width} (Qwen2's Q/K/V bias). */
    void addBias(Buffer x, Buffer bias, int tokens, int width);

    /** {@code x *= factor}, elementwise over {@code count} floats (Gemma's embedding scale). */
    void scale(Buffer x, float factor, int count);

    /** {@code gate = gelu_tanh(gate) * up}, elementwise over {@code count} floats (Gemma's GeGLU). */
    void geglu(Buffer gate, Buffer up, int count);

    /** {@code gate = silu(gate) * up}, elementwise over {@code count} floats. */
    void swiglu(Buffer gate, Buffer up, int count);

    /** {@code into += x}, elementwise over {@code count} floats. */
    void add(Buffer into, Buffer x, int count);

    /** Copies row {@code row} of width {@code width} from {@code from} into row {@code toRow} of {@code to}. */
    void copyRow(Buffer from, int row, Buffer to, int toRow, int width);

    /** Reads {@code count} floats back to the host. */
    void read(Buffer from, float[] into, int count);

    @Override
    void close();
}
