package dev.hanul.engine.model;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.util.Set;

/**
 * The shape and hyperparameters of a decoder-only transformer of the Llama family (Llama, Mistral, Qwen 2/3, Gemma
 * 2/3, Phi-3, SmolLM3, EXAONE 4), read from GGUF metadata.
 *
 * @param headDim             features per attention head ({@code attention.key_length}; Qwen3 and Gemma decouple it
 *                            from embedding length / heads)
 * @param slidingWindow       positions a local layer sees (0: no sliding window)
 * @param ropeBaseLocal       RoPE base of the sliding-window layers (Gemma 3: 10000 while global layers use 1e6)
 * @param attentionScale      what attention multiplies q.k by (1/sqrt(headDim) unless the architecture says otherwise)
 * @param attentionSoftCap    Gemma 2's tanh cap on attention scores (0: none)
 * @param finalSoftCap        Gemma 2's tanh cap on the output logits (0: none)
 * @param ropeMagnitude       what RoPE multiplies the rotated features by (LongRoPE's attention factor; else 1)
 */
public record LlamaConfig(
        String architecture,
        int embeddingLength,
        int blockCount,
        int feedForwardLength,
        int headCount,
        int headCountKv,
        int contextLength,
        int vocabularySize,
        float rmsEps,
        float ropeBase,
        int ropeDimensions,
        String ropeScalingType,
        float ropeScalingFactor,
        int headDim,
        int slidingWindow,
        float ropeBaseLocal,
        float attentionScale,
        float attentionSoftCap,
        float finalSoftCap,
        float ropeMagnitude) {

    public static LlamaConfig from(GgufFile gguf) {
        String arch = gguf.getString("general.architecture", null);
        if (arch == null) {
            throw new GgufException(gguf.path() + ": metadata 'general.architecture' is missing");
        }
        Architecture traits = Architecture.named(arch).orElseThrow(() -> new GgufException(
                "%s: architecture '%s' is not supported (supported: %s)"
                        .formatted(gguf.path(), arch, Architecture.supportedNames())));
        int dim = gguf.getInt(arch + ".embedding_length");
        int heads = gguf.getInt(arch + ".attention.head_count");
        int vocab = gguf.has(arch + ".vocab_size") ? gguf.getInt(arch + ".vocab_size")
                : gguf.tensor("token_embd.weight").rows();
        int blocks = gguf.getInt(arch + ".block_count");
        int headDim = gguf.getInt(arch + ".attention.key_length", dim / heads);
        int valueDim = gguf.getInt(arch + ".attention.value_length", headDim);
        if (valueDim != headDim) {
            throw new GgufException("%s: key length %d and value length %d differ; this engine needs them equal"
                    .formatted(gguf.path(), headDim, valueDim));
        }
        float ropeBase = gguf.getFloat(arch + ".rope.freq_base", 10000f);
        int window = traits.slidingWindowPattern() > 0 ? gguf.getInt(arch + ".attention.sliding_window", 0) : 0;
        if ("exaone4".equals(arch) && gguf.has(arch + ".attention.sliding_window")) {
            // EXAONE 4's hybrid attention (the 32B: sliding-window layers, global layers without RoPE) has no
            // reference fixture here yet; the 1.2B has no window and runs.
            throw new GgufException(gguf.path() + ": EXAONE 4 with sliding-window layers is not supported yet (the "
                    + "models without exaone4.attention.sliding_window, such as EXAONE-4.0-1.2B, are)");
        }
        // As llama.cpp: Gemma 3's local layers keep the original base 10000, Gemma 2's share the global base.
        float localBase = gguf.getFloat(arch + ".rope.freq_base_swa", "gemma3".equals(arch) ? 10000f : ropeBase);
        // The file does not carry Gemma's query_pre_attn_scalar; llama.cpp derives it from the 27B shape.
        boolean gemma27b = ("gemma2".equals(arch) && blocks == 46) || ("gemma3".equals(arch) && blocks == 62);
        float scale = (float) (1.0 / Math.sqrt(gemma27b ? (double) dim / heads : headDim));
        LlamaConfig config = new LlamaConfig(
                arch,
                dim,
                blocks,
                gguf.getInt(arch + ".feed_forward_length"),
                heads,
                gguf.getInt(arch + ".attention.head_count_kv", heads),
                gguf.getInt(arch + ".context_length"),
                vocab,
                gguf.getFloat(arch + ".attention.layer_norm_rms_epsilon", 1e-5f),
                ropeBase,
                gguf.getInt(arch + ".rope.dimension_count", headDim),
                gguf.getString(arch + ".rope.scaling.type", "none"),
                gguf.getFloat(arch + ".rope.scaling.factor", 1f),
                headDim,
                window,
                localBase,
                scale,
                gguf.getFloat(arch + ".attn_logit_softcapping", 0f),
                gguf.getFloat(arch + ".final_logit_softcapping", 0f),
                // LongRoPE (Phi-3 128k, Phi-3.5, Phi-4-mini) scales cos and sin by its attention factor.
                gguf.getFloat(arch + ".rope.scaling.attn_factor", 1f));
        config.validate(gguf);
        return config;
    }

    /** What sets this architecture apart from Llama. */
    public Architecture traits() {
        return Architecture.named(architecture).orElseThrow();
    }

    /** Width of all query heads together (the embedding length, unless heads are decoupled from it). */
    public int queryDim() {
        return headCount * headDim;
    }

    public int kvDim() {
        return headCountKv * headDim;
    }

    /** Whether layer {@code layer} attends through the sliding window. */
    public boolean isLocalLayer(int layer) {
        return slidingWindow > 0 && traits().isLocalLayer(layer);
    }

    private void validate(GgufFile gguf) {
        if (headCount % headCountKv != 0) {
            throw new GgufException("%s: %d heads are not a multiple of %d KV heads"
                    .formatted(gguf.path(), headCount, headCountKv));
        }
        if (ropeDimensions > headDim || ropeDimensions % 2 != 0) {
            throw new GgufException("%s: rope dimension count %d must be even and at most the head size %d"
                    .formatted(gguf.path(), ropeDimensions, headDim));
        }
        if (!Set.of("none", "linear").contains(ropeScalingType)) {
            throw new GgufException(("%s: rope scaling '%s' is not supported (none, linear; llama3 through rope_freqs, "
                    + "Phi-3 LongRoPE through rope_factors_short)").formatted(gguf.path(), ropeScalingType));
        }
    }

    /**
     * Angle per position of each rotary pair, with linear scaling and per-pair factors (llama3's rope_freqs, Phi-3's
     * LongRoPE factors) applied.
     */
    float[] inverseFrequencies(float base, boolean linearScaling, float[] pairFactors) {
        float[] inverse = new float[ropeDimensions / 2];
        float linear = linearScaling && "linear".equals(ropeScalingType) ? 1f / ropeScalingFactor : 1f;
        for (int i = 0; i < inverse.length; i++) {
            double frequency = Math.pow(base, -2.0 * i / ropeDimensions) * linear;
            inverse[i] = (float) (pairFactors == null ? frequency : frequency / pairFactors[i]);
        }
        return inverse;
    }
}
