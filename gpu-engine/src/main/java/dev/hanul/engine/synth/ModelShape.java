package dev.hanul.engine.synth;

import java.util.Map;
import java.util.TreeMap;

/** The shape of a Llama-family model: enough to synthesize one with random weights for benchmarks. */
public record ModelShape(int dim, int layers, int ffn, int heads, int kvHeads, int vocabulary, int context,
                         float ropeBase, boolean tiedEmbeddings) {

    private static final Map<String, ModelShape> KNOWN = new TreeMap<>(Map.of(
            "stories260k", new ModelShape(64, 5, 172, 8, 4, 512, 512, 10000f, true),
            "smollm2-135m", new ModelShape(576, 30, 1536, 9, 3, 49152, 8192, 100000f, true),
            "smollm2-360m", new ModelShape(960, 32, 2560, 15, 5, 49152, 8192, 100000f, true),
            "qwen2.5-0.5b-like", new ModelShape(896, 24, 4864, 14, 2, 151936, 32768, 1000000f, true),
            "llama-3.2-1b", new ModelShape(2048, 16, 8192, 32, 8, 128256, 131072, 500000f, true),
            "tinyllama-1.1b", new ModelShape(2048, 22, 5632, 32, 4, 32000, 2048, 10000f, false)));

    /** A named shape, e.g. {@code smollm2-135m}. */
    public static ModelShape named(String name) {
        ModelShape shape = KNOWN.get(name.toLowerCase());
        if (shape == null) {
            throw new IllegalArgumentException("Unknown model shape '%s' (known: %s)"
                    .formatted(name, String.join(", ", KNOWN.keySet())));
        }
        return shape;
    }

    public static String[] names() {
        return KNOWN.keySet().toArray(String[]::new);
    }

    public int headDim() {
        return dim / heads;
    }

    /** Parameters in the weight matrices (embeddings counted once when tied). */
    public long parameters() {
        long perLayer = 2L * dim * dim + 2L * dim * kvHeads * headDim() + 3L * dim * ffn;
        return layers * perLayer + (tiedEmbeddings ? 1 : 2) * (long) vocabulary * dim;
    }

    @Override
    public String toString() {
        return "dim %d, %d layers, ffn %d, %d/%d heads, vocab %d".formatted(dim, layers, ffn, heads, kvHeads,
                vocabulary) + (tiedEmbeddings ? ", tied embeddings" : "")
                + String.format(" (%.0fM parameters)", parameters() / 1e6);
    }
}
