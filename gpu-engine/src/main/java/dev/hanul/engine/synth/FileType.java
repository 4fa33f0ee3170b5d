package dev.hanul.engine.synth;

import dev.hanul.engine.gguf.GgmlType;
import java.util.Locale;

/**
 * Which type each matrix of a synthesized file gets, named as llama.cpp's {@code llama-quantize} names file types:
 * one type for every matrix ({@code Q4_0}, {@code Q8_0}, ...), or a k-quant mix such as {@code Q4_K_M}, which the
 * published GGUFs of most models are. A mix follows llama.cpp's rules (llama-quant.cpp, {@code
 * llama_tensor_get_type}) for the tensors of a Llama: the output projection, attn_v and ffn_down, and the fallback
 * for rows that k-quant blocks cannot tile.
 */
public abstract sealed class FileType {

    /** Where a matrix sits: its GGUF role ({@code attn_v}, {@code output}, ...), its layer and its row length. */
    public record Tensor(String role, int layer, int layers, int columns, boolean tiedEmbeddings) {
    }

    private final String name;

    private FileType(String name) {
        this.name = name;
    }

    /** The type of one matrix. */
    public abstract GgmlType typeOf(Tensor tensor);

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Every matrix in {@code type}. */
    public static FileType of(GgmlType type) {
        return new Uniform(type);
    }

    /**
     * A type's name ({@code Q4_0}) or a mix's ({@code Q4_K_M}, {@code Q6_K}: llama-quantize's names).
     *
     * @throws IllegalArgumentException naming the ones there are
     */
    public static FileType named(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "Q4_K_M" -> new KQuantMix(upper, GgmlType.Q4_K, true);
            case "Q6_K" -> new KQuantMix(upper, GgmlType.Q6_K, false);
            default -> {
                try {
                    yield new Uniform(GgmlType.valueOf(upper));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown file type '%s': use F32, F16, BF16, Q8_0, Q4_0, Q4_1, "
                            .formatted(name) + "Q5_0, Q4_K, Q5_K, or the mixes Q4_K_M, Q6_K", e);
                }
            }
        };
    }

    private static final class Uniform extends FileType {
        private final GgmlType type;

        Uniform(GgmlType type) {
            super(type.name());
            this.type = type;
        }

        @Override
        public GgmlType typeOf(Tensor tensor) {
            return type;
        }
    }

    /**
     * llama.cpp's k-quant file types: {@code base} for most matrices; Q6_K for the output projection (the embeddings
     * when they are tied); with {@code moreBits} (the _M variants) also Q6_K for attn_v and ffn_down in the layers
     * that {@code use_more_bits} picks. A row that is not a multiple of 256 cannot hold k-quant blocks: llama.cpp
     * then falls back to Q5_0 for Q4_K and Q8_0 for Q6_K, which is what SmolLM2's 576-wide rows get.
     */
    private static final class KQuantMix extends FileType {
        private final GgmlType base;
        private final boolean moreBits;

        KQuantMix(String name, GgmlType base, boolean moreBits) {
            super(name);
            this.base = base;
            this.moreBits = moreBits;
        }

        @Override
        public GgmlType typeOf(Tensor tensor) {
            GgmlType type = base;
            boolean output = tensor.role().equals("output")
                    || tensor.tiedEmbeddings() && tensor.role().equals("token_embd");
            if (output) {
                type = GgmlType.Q6_K;
            } else if (moreBits && (tensor.role().equals("attn_v") || tensor.role().equals("ffn_down"))
                    && useMoreBits(tensor.layer(), tensor.layers())) {
                type = GgmlType.Q6_K;
            }
            if (tensor.columns() % GgmlType.Q4_K.blockSize() != 0) {
                type = switch (type) {
                    case Q4_K -> GgmlType.Q5_0;
                    case Q6_K -> GgmlType.Q8_0;
                    default -> type;
                };
            }
            return type;
        }

        /** llama.cpp's rule: the first and last eighth of the layers, and every third layer between. */
        private static boolean useMoreBits(int layer, int layers) {
            return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
        }
    }
}
