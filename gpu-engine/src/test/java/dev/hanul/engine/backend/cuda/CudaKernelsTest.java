package dev.hanul.engine.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every kernel of the CUDA backend against the CPU backend at small shapes, on the emulator (or a GPU when
 * hanul.cuda.driver names a real driver). Inputs reach both backends the same way, as F32 tensors through
 * {@link Backend#vector}, and results come back through {@link Backend#read}.
 */
class CudaKernelsTest {

    /** Float sums in another order, and on a GPU fused multiply-adds: far below what changes a token. Relative. */
    private static final float TOLERANCE = 2e-5f;

    private static CudaBackend cuda;
    private static CpuBackend cpu;
    private static Arena arena;
    private final SplittableRandom random = new SplittableRandom(42);

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        cuda = CudaEmulator.backend();
        cpu = new CpuBackend(1);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void close() {
        if (cuda != null) {
            cuda.close();
            cpu.close();
            arena.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1"})
    void matmulAndEmbeddingOfSynthesizedWeights(GgmlType type) {
        // The float formats get stories260K's 172-wide rows, not a multiple of 32.
        ModelShape shape = new ModelShape(256, 1, type.blockSize() == 1 ? 172 : 512, 4, 2, 64, 64, 10000f, false);
        Path file = dir.resolve(type + ".gguf");
        SyntheticModel.write(shape, type, 3, null, file);
        try (GgufFile gguf = GgufFile.open(file)) {
            checkMatmulAndEmbedding(type, gguf.tensor("blk.0.ffn_gate.weight"), gguf.tensor("blk.0.ffn_down.weight"),
                    gguf.tensor("token_embd.weight"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q5_K", "Q6_K"})
    void matmulAndEmbeddingOfKQuants(GgmlType type) {
        checkMatmulAndEmbedding(type, randomKQuant(type, 96, 512), randomKQuant(type, 40, 256),
                randomKQuant(type, 64, 256));
    }

    private void checkMatmulAndEmbedding(GgmlType type, GgufTensor wide, GgufTensor narrow, GgufTensor table) {
        for (GgufTensor tensor : new GgufTensor[] {wide, narrow}) {
            assertThat(tensor.type()).isEqualTo(type);
            for (int tokens : new int[] {1, 11}) {   // 11: one full tile of 8 tokens and a partial one
                float[] x = gaussian(tokens * tensor.columns());
                assertClose(matmul(cuda, tensor, x, tokens), matmul(cpu, tensor, x, tokens),
                        tensor.name() + " x " + tokens + " tokens");
            }
        }
        assertThat(table.type()).isEqualTo(type);
        int[] tokens = {5, 0, 63, 5};
        assertClose(embed(cuda, table, tokens), embed(cpu, table, tokens), "embedding rows");
    }

    /**
     * Random K-quant super-blocks: any bytes are valid quants and scales; only the f16 super-block scales are set to
     * small finite values, so products stay near 1.
     */
    private GgufTensor randomKQuant(GgmlType type, int rows, int columns) {
        long bytes = type.bytesFor((long) rows * columns);
        MemorySegment data = arena.allocate(bytes, 64);
        for (long i = 0; i < bytes; i++) {
            data.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
        }
        for (long block = 0; block < bytes; block += type.blockBytes()) {
            short scale = Float.floatToFloat16((float) random.nextDouble(0.001, 0.004));
            if (type == GgmlType.Q6_K) {
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED, block + 208, scale);
            } else {
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED, block, scale);
                data.set(ValueLayout.JAVA_SHORT_UNALIGNED, block + 2,
                        Float.floatToFloat16((float) random.nextDouble(0.001, 0.004)));
            }
        }
        return new GgufTensor(type + "-" + rows + "x" + columns, type, new long[] {columns, rows}, data);
    }

    @Test
    void rmsNormRopeSwigluAddAndCopyRow() {
        int tokens = 3, heads = 4, headDim = 16, width = heads * headDim;
        float[] x = gaussian(tokens * width);
        float[] gain = gaussian(width);
        float[] up = gaussian(tokens * width);
        int[] positions = {0, 7, 300};
        float[] frequencies = new float[headDim / 2];
        for (int i = 0; i < frequencies.length; i++) {
            frequencies[i] = (float) Math.pow(10000, -2.0 * i / headDim);
        }
        for (Backend b : new Backend[] {cpu, cuda}) {
            assertThat(b.allocate(1).size()).isEqualTo(1);
        }
        float[][] results = new float[2][];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend b = backends[i];
            Buffer in = b.vector(f32("x", x));
            Buffer normed = b.allocate(tokens * width);
            b.rmsNorm(in, b.vector(f32("gain", gain)), normed, tokens, width, 1e-5f);
            b.rope(normed, tokens, heads, headDim, headDim - 4, positions, frequencies);   // partial rotary dims
            Buffer upBuffer = b.vector(f32("up", up));
            b.swiglu(normed, upBuffer, tokens * width);
            b.add(normed, in, tokens * width);
            b.rmsNorm(in, b.vector(f32("gain", gain)), normed, 0, width, 1e-5f);   // empty: a step with no logits
            b.matmul(b.weights(f32matrix(width, width)), in, normed, 0);
            Buffer last = b.allocate(2 * width);
            b.copyRow(normed, 2, last, 1, width);
            b.copyRow(normed, 0, last, 0, width);
            results[i] = read(b, last, 2 * width);
        }
        assertClose(results[1], results[0], "rmsNorm -> rope -> swiglu -> add -> copyRow");
    }

    @Test
    void pagedAttentionThroughScatteredBlocksEqualsContiguousAndTheCpu() {
        int heads = 4, kvHeads = 2, headDim = 40, blockSize = 4, length = 37;   // 37: ten blocks, the last partial
        int kvDim = kvHeads * headDim;
        float[] k = gaussian(length * kvDim);
        float[] v = gaussian(length * kvDim);
        float[] q = gaussian(length * heads * headDim);
        int[] contiguous = AttentionBatch.identityTable(length, blockSize);
        int[] scattered = {13, 2, 7, 19, 0, 11, 5, 16, 3, 9};
        float[] cudaContiguous = attention(cuda, contiguous, k, v, q, heads, kvHeads, headDim, blockSize);
        float[] cudaScattered = attention(cuda, scattered, k, v, q, heads, kvHeads, headDim, blockSize);
        float[] cpuScattered = attention(cpu, scattered, k, v, q, heads, kvHeads, headDim, blockSize);
        assertThat(cudaScattered).as("the block table changes where K/V live, not the result")
                .containsExactly(cudaContiguous);
        assertClose(cudaScattered, cpuScattered, "attention against the CPU backend");
    }

    @Test
    void attentionOfSeveralSequencesInOneBatchMatchesTheCpu() {
        // Two sequences decoding side by side, each token attending over its own sequence through its own table.
        int heads = 4, kvHeads = 1, headDim = 16, blockSize = 4, kvDim = kvHeads * headDim;
        int[][] tables = {{6, 1, 3}, {0, 5}};
        int[] positions = {0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4};
        int[] sequenceOf = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        int[] slots = new int[positions.length];
        for (int t = 0; t < slots.length; t++) {
            slots[t] = tables[sequenceOf[t]][positions[t] / blockSize] * blockSize + positions[t] % blockSize;
        }
        AttentionBatch batch = new AttentionBatch(positions, slots, sequenceOf, tables, blockSize);
        float[] k = gaussian(positions.length * kvDim);
        float[] v = gaussian(positions.length * kvDim);
        float[] q = gaussian(positions.length * heads * headDim);
        float[][] results = new float[2][];
        Backend[] backends = {cpu, cuda};
        for (int i = 0; i < 2; i++) {
            Backend b = backends[i];
            KvStore kv = b.allocateKv(1, 8 * blockSize, kvDim);
            b.storeKv(kv, 0, b.vector(f32("k", k)), b.vector(f32("v", v)), batch);
            Buffer out = b.allocate(q.length);
            b.attention(kv, 0, b.vector(f32("q", q)), out, batch, heads, kvHeads, headDim);
            results[i] = read(b, out, q.length);
        }
        assertClose(results[1], results[0], "two sequences in one batch");
    }

    @Test
    void copiedSlotsAttendLikeTheOriginals() {
        int heads = 2, kvHeads = 1, headDim = 8, blockSize = 4, length = 6;
        int kvDim = kvHeads * headDim;
        float[] k = gaussian(length * kvDim);
        float[] v = gaussian(length * kvDim);
        float[] q = gaussian(length * heads * headDim);
        int[] original = {0, 1};
        float[] expected = attention(cuda, original, k, v, q, heads, kvHeads, headDim, blockSize);
        // Copy-on-write: block 1 copied to block 5, which the forked sequence's table uses instead.
        KvStore kv = cuda.allocateKv(1, 8 * blockSize, kvDim);
        int[] positions = range(length);
        AttentionBatch writes = batch(positions, original, blockSize);
        cuda.storeKv(kv, 0, cuda.vector(f32("k", k)), cuda.vector(f32("v", v)), writes);
        cuda.copySlots(kv, blockSize, 5 * blockSize, blockSize);
        Buffer out = cuda.allocate(length * heads * headDim);
        cuda.attention(kv, 0, cuda.vector(f32("q", q)), out, batch(positions, new int[] {0, 5}, blockSize), heads,
                kvHeads, headDim);
        assertThat(read(cuda, out, length * heads * headDim)).containsExactly(expected);
    }

    private float[] attention(Backend b, int[] table, float[] k, float[] v, float[] q, int heads, int kvHeads,
                              int headDim, int blockSize) {
        int length = k.length / (kvHeads * headDim);
        KvStore kv = b.allocateKv(2, 20 * blockSize, kvHeads * headDim);
        AttentionBatch batch = batch(range(length), table, blockSize);
        b.storeKv(kv, 1, b.vector(f32("k", k)), b.vector(f32("v", v)), batch);
        Buffer out = b.allocate(q.length);
        b.attention(kv, 1, b.vector(f32("q", q)), out, batch, heads, kvHeads, headDim);
        return read(b, out, q.length);
    }

    private static AttentionBatch batch(int[] positions, int[] table, int blockSize) {
        int[] slots = new int[positions.length];
        for (int t = 0; t < positions.length; t++) {
            slots[t] = table[positions[t] / blockSize] * blockSize + positions[t] % blockSize;
        }
        return new AttentionBatch(positions, slots, new int[positions.length], new int[][] {table}, blockSize);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private float[] matmul(Backend b, GgufTensor tensor, float[] x, int tokens) {
        Weights w = b.weights(tensor);
        Buffer out = b.allocate(tokens * tensor.rows());
        b.matmul(w, b.vector(f32("x", x)), out, tokens);
        return read(b, out, tokens * tensor.rows());
    }

    private static float[] embed(Backend b, GgufTensor table, int[] tokens) {
        Buffer out = b.allocate(tokens.length * table.columns());
        b.embed(b.weights(table), tokens, out);
        return read(b, out, tokens.length * table.columns());
    }

    private static float[] read(Backend b, Buffer buffer, int count) {
        float[] values = new float[count];
        b.read(buffer, values, count);
        return values;
    }

    private GgufTensor f32matrix(int rows, int columns) {
        GgufTensor flat = f32("w", gaussian(rows * columns));
        return new GgufTensor("w", GgmlType.F32, new long[] {columns, rows}, flat.data());
    }

    /** An F32 tensor holding {@code values}: how the tests hand the same inputs to both backends. */
    private static GgufTensor f32(String name, float[] values) {
        MemorySegment data = arena.allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, data, ValueLayout.JAVA_FLOAT, 0, values.length);
        return new GgufTensor(name, GgmlType.F32, new long[] {values.length}, data);
    }

    private float[] gaussian(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextDouble(-1, 1) + random.nextDouble(-1, 1));
        }
        return values;
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).hasSameSizeAs(expected);
        double squares = 0;
        for (float e : expected) {
            squares += e * e;
        }
        // Relative to the element or to the vector's size, whichever is larger: an element that is a near-zero sum
        // of large terms carries the rounding of those terms.
        float rms = (float) Math.sqrt(squares / Math.max(1, expected.length));
        for (int i = 0; i < actual.length; i++) {
            float scale = Math.max(Math.max(1f, rms), Math.abs(expected[i]));
            assertThat(Math.abs(actual[i] - expected[i]) / scale)
                    .as("%s: element %d is %s on CUDA, %s on the CPU", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
