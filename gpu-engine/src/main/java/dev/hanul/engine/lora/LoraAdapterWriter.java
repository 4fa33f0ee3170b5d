package dev.hanul.engine.lora;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a LoRA adapter in llama.cpp's GGUF format, the one {@link LoraAdapter} (and llama.cpp's {@code --lora})
 * loads: metadata {@code general.type = adapter}, {@code adapter.type = lora}, {@code adapter.lora.alpha} and the
 * base's {@code general.architecture}; per adapted matrix a {@code <base tensor>.lora_a} of ggml shape
 * {@code [in, rank]} and a {@code <base tensor>.lora_b} of shape {@code [rank, out]}, in 32-bit floats.
 * Fine-tuning writes its output with it; tests and benchmarks make random adapters with it.
 */
public final class LoraAdapterWriter {

    /**
     * One adapted matrix {@code W} ({@code out x in}) of the base.
     *
     * @param baseTensor the base tensor's GGUF name, e.g. {@code blk.0.attn_q.weight} ({@link LoraTarget#tensorName})
     * @param a          {@code rank x in}, row-major
     * @param b          {@code out x rank}, row-major
     */
    public record Pair(String baseTensor, int rank, int in, int out, float[] a, float[] b) {
        public Pair {
            if (rank < 1 || in < 1 || out < 1 || a.length != rank * in || b.length != out * rank) {
                throw new IllegalArgumentException("a LoRA pair of rank %d for a %d x %d matrix needs %d floats in A "
                        .formatted(rank, out, in, rank * in) + "and %d in B, got %d and %d"
                        .formatted(out * rank, a.length, b.length));
            }
        }
    }

    private final String architecture;
    private final float alpha;
    private final List<Pair> pairs = new ArrayList<>();
    private String name = "lora";

    /**
     * @param architecture the base model's {@code general.architecture}
     * @param alpha        LoRA alpha: the delta is scaled by alpha / rank (0: by 1)
     */
    public LoraAdapterWriter(String architecture, float alpha) {
        this.architecture = architecture;
        this.alpha = alpha;
    }

    public LoraAdapterWriter name(String adapterName) {
        this.name = adapterName;
        return this;
    }

    public LoraAdapterWriter add(Pair pair) {
        pairs.add(pair);
        return this;
    }

    public void write(Path out) {
        GgufWriter writer = new GgufWriter()
                .putString("general.architecture", architecture)
                .putString("general.type", "adapter")
                .putString("general.name", name)
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", alpha);
        for (Pair pair : pairs) {
            writer.addTensor(pair.baseTensor() + ".lora_a", GgmlType.F32, new long[] {pair.in(), pair.rank()},
                    bytes(pair.a()));
            writer.addTensor(pair.baseTensor() + ".lora_b", GgmlType.F32, new long[] {pair.rank(), pair.out()},
                    bytes(pair.b()));
        }
        writer.write(out);
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }
}
