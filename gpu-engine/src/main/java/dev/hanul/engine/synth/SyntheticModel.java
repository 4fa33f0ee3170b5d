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
        write(shape, FileType.of(type), seed, tokenizerFrom, out);
    }

    /** As {@link #write(ModelShape, GgmlType, long, Path, Path)}, each matrix in the type {@code fileType} gives it. */
    public static void write(ModelShape shape, FileType fileType, long seed, Path tokenizerFrom, Path out) {
        GgufWriter writer = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "hanul synthetic " + shape.dim() + "x" + shape.layers() + " " + fileType)
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
        var matrices = new Matrices(writer, fileType, shape, new SplittableRandom(seed));
        int dim = shape.dim();
        int kvDim = shape.kvHeads() * shape.headDim();
        matrices.add("token_embd", -1, shape.vocabulary(), dim);
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            norm(writer, p + "attn_norm.weight", dim);
            matrices.add("attn_q", l, dim, dim);
            matrices.add("attn_k", l, kvDim, dim);
            matrices.add("attn_v", l, kvDim, dim);
            matrices.add("attn_output", l, dim, dim);
            norm(writer, p + "ffn_norm.weight", dim);
            matrices.add("ffn_gate", l, shape.ffn(), dim);
            matrices.add("ffn_up", l, shape.ffn(), dim);
            matrices.add("ffn_down", l, dim, shape.ffn());
        }
        norm(writer, "output_norm.weight", dim);
        if (!shape.tiedEmbeddings()) {
            matrices.add("output", -1, shape.vocabulary(), dim);
        }
        writer.write(out);
    }

    /** Adds random matrices in the file type's type for each, in the order the random streams are split. */
    private record Matrices(GgufWriter writer, FileType fileType, ModelShape shape, SplittableRandom random) {
        /** @param layer the block's index, or -1 for the embeddings and the output projection */
        void add(String role, int layer, int rows, int columns) {
            GgmlType type = fileType.typeOf(new FileType.Tensor(role, layer, shape.layers(), columns,
                    shape.tiedEmbeddings()));
            String name = layer < 0 ? role + ".weight" : "blk." + layer + "." + role + ".weight";
            SplittableRandom stream = random.split();
            writer.addTensor(name, type, new long[] {columns, rows},
                    out -> RandomBlocks.write(type, rows, columns, stream, out));
        }
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
