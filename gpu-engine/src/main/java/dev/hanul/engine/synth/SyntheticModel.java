package dev.hanul.engine.synth;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a Llama GGUF of any shape with random weights: matrices in the chosen type, norms in F32 (as converters
 * write them). Benchmarks use it to measure the engine on the exact shapes of real models in every format.
 */
public final class SyntheticModel {

    private SyntheticModel() {
    }

    /**
     * @param tokenizerFrom a GGUF whose {@code tokenizer.*} metadata is copied, so the model can also be prompted
     *                      with text; null for a model driven by token ids only
     */
    public static void write(ModelShape shape, GgmlType type, long seed, Path tokenizerFrom, Path out) {
        GgufWriter writer = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "hanul synthetic " + shape.dim() + "x" + shape.layers() + " " + type)
                .putUInt32("llama.embedding_length", shape.dim())
                .putUInt32("llama.block_count", shape.layers())
                .putUInt32("llama.feed_forward_length", shape.ffn())
                .putUInt32("llama.attention.head_count", shape.heads())
                .putUInt32("llama.attention.head_count_kv", shape.kvHeads())
                .putUInt32("llama.context_length", shape.context())
                .putUInt32("llama.vocab_size", shape.vocabulary())
                .putUInt32("llama.rope.dimension_count", shape.headDim())
                .putFloat32("llama.rope.freq_base", shape.ropeBase())
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        if (tokenizerFrom != null) {
            copyTokenizer(tokenizerFrom, writer);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int dim = shape.dim();
        int kvDim = shape.kvHeads() * shape.headDim();
        matrix(writer, "token_embd.weight", type, shape.vocabulary(), dim, random.split());
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            norm(writer, p + "attn_norm.weight", dim);
            matrix(writer, p + "attn_q.weight", type, dim, dim, random.split());
            matrix(writer, p + "attn_k.weight", type, kvDim, dim, random.split());
            matrix(writer, p + "attn_v.weight", type, kvDim, dim, random.split());
            matrix(writer, p + "attn_output.weight", type, dim, dim, random.split());
            norm(writer, p + "ffn_norm.weight", dim);
            matrix(writer, p + "ffn_gate.weight", type, shape.ffn(), dim, random.split());
            matrix(writer, p + "ffn_up.weight", type, shape.ffn(), dim, random.split());
            matrix(writer, p + "ffn_down.weight", type, dim, shape.ffn(), random.split());
        }
        norm(writer, "output_norm.weight", dim);
        if (!shape.tiedEmbeddings()) {
            matrix(writer, "output.weight", type, shape.vocabulary(), dim, random.split());
        }
        writer.write(out);
    }

    private static void matrix(GgufWriter writer, String name, GgmlType type, int rows, int columns,
                               SplittableRandom random) {
        writer.addTensor(name, type, new long[] {columns, rows},
                out -> RandomBlocks.write(type, rows, columns, random, out));
    }

    /** Norm gains of one, as a freshly initialized model has: random gains would only add noise. */
    private static void norm(GgufWriter writer, String name, int length) {
        ByteBuffer ones = ByteBuffer.allocate(4 * length).order(ByteOrder.LITTLE_ENDIAN);
        while (ones.hasRemaining()) {
            ones.putFloat(1f);
        }
        writer.addTensor(name, GgmlType.F32, new long[] {length}, ones.array());
    }

    private static void copyTokenizer(Path from, GgufWriter writer) {
        try (GgufFile source = GgufFile.open(from)) {
            for (Map.Entry<String, Object> e : source.metadata().entrySet()) {
                if (e.getKey().startsWith("tokenizer.")) {
                    writer.putValue(e.getKey(), e.getValue());
                }
            }
        }
    }
}
