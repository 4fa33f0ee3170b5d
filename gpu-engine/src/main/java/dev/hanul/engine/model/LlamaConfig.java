package dev.hanul.engine.model;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.util.Set;

/** The shape and hyperparameters of a Llama-family model, read from GGUF metadata. */
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
        float ropeScalingFactor) {

    /** Architectures whose tensors and math are the Llama block this engine implements. */
    public static final Set<String> SUPPORTED_ARCHITECTURES = Set.of("llama", "mistral");

    public static LlamaConfig from(GgufFile gguf) {
        String arch = gguf.getString("general.architecture", null);
        if (arch == null) {
            throw new GgufException(gguf.path() + ": metadata 'general.architecture' is missing");
        }
        if (!SUPPORTED_ARCHITECTURES.contains(arch)) {
            throw new GgufException("%s: architecture '%s' is not supported (supported: %s)"
                    .formatted(gguf.path(), arch, String.join(", ", SUPPORTED_ARCHITECTURES)));
        }
        int dim = gguf.getInt(arch + ".embedding_length");
        int heads = gguf.getInt(arch + ".attention.head_count");
        int vocab = gguf.has(arch + ".vocab_size") ? gguf.getInt(arch + ".vocab_size")
                : gguf.tensor("token_embd.weight").rows();
        LlamaConfig config = new LlamaConfig(
                arch,
                dim,
                gguf.getInt(arch + ".block_count"),
                gguf.getInt(arch + ".feed_forward_length"),
                heads,
                gguf.getInt(arch + ".attention.head_count_kv", heads),
                gguf.getInt(arch + ".context_length"),
                vocab,
                gguf.getFloat(arch + ".attention.layer_norm_rms_epsilon", 1e-5f),
                gguf.getFloat(arch + ".rope.freq_base", 10000f),
                gguf.getInt(arch + ".rope.dimension_count", dim / heads),
                gguf.getString(arch + ".rope.scaling.type", "none"),
                gguf.getFloat(arch + ".rope.scaling.factor", 1f));
        config.validate(gguf);
        return config;
    }

    public int headDim() {
        return embeddingLength / headCount;
    }

    public int kvDim() {
        return headCountKv * headDim();
    }

    private void validate(GgufFile gguf) {
        if (embeddingLength % headCount != 0 || headCount % headCountKv != 0) {
            throw new GgufException("%s: %d heads and %d KV heads do not divide the embedding length %d evenly"
                    .formatted(gguf.path(), headCount, headCountKv, embeddingLength));
        }
        if (ropeDimensions > headDim() || ropeDimensions % 2 != 0) {
            throw new GgufException("%s: rope dimension count %d must be even and at most the head size %d"
                    .formatted(gguf.path(), ropeDimensions, headDim()));
        }
        if (!Set.of("none", "linear").contains(ropeScalingType)) {
            throw new GgufException("%s: rope scaling '%s' is not supported (none, linear; llama3 through rope_freqs)"
                    .formatted(gguf.path(), ropeScalingType));
        }
    }

    /** Angle per position of each rotary pair, with linear scaling and per-pair factors (llama3) applied. */
    float[] inverseFrequencies(float[] pairFactors) {
        float[] inverse = new float[ropeDimensions / 2];
        float linear = "linear".equals(ropeScalingType) ? 1f / ropeScalingFactor : 1f;
        for (int i = 0; i < inverse.length; i++) {
            double frequency = Math.pow(ropeBase, -2.0 * i / ropeDimensions) * linear;
            inverse[i] = (float) (pairFactors == null ? frequency : frequency / pairFactors[i]);
        }
        return inverse;
    }
}
