package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix in the memory-mapped file, multiplied in its quantized format. Each format supplies
 * {@link #dequantizeRow} (the definition, from ggml) and may supply a fused, vectorized {@link #dot} that never
 * materializes the row, for single tokens. When a batch of tokens shares the matrix, rows are dequantized once, four
 * at a time, into a per-thread scratch block and multiplied with every token in register tiles, so the weights are
 * read once per step. Both paths follow {@link DotKernels}' order of operations, so a token's product is the same bit
 * for bit whatever the batch around it.
 */
abstract class CpuMatrix implements Weights {

    static final VectorSpecies<Float> F = DotKernels.F;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[8 * DotKernels.L]);

    final MemorySegment data;
    final int rows;
    final int columns;
    final long rowBytes;
    private final GgmlType type;
    private volatile PackedRows packed;
    private volatile boolean packTried;

    CpuMatrix(GgufTensor tensor) {
        this.type = tensor.type();
        this.data = tensor.data();
        this.rows = tensor.rows();
        this.columns = tensor.columns();
        this.rowBytes = type.bytesFor(columns);
    }

    static CpuMatrix of(GgufTensor tensor) {
        return switch (tensor.type()) {
            case F32 -> new F32Matrix(tensor);
            case F16 -> new F16Matrix(tensor);
            case BF16 -> new Bf16Matrix(tensor);
            case Q8_0 -> new Q8_0Matrix(tensor);
            case Q4_0 -> new Q4_0Matrix(tensor);
            case Q4_1 -> new Q4_1Matrix(tensor);
            case Q5_0 -> new Q5_0Matrix(tensor);
            case Q4_K -> new Q4_KMatrix(tensor);
            case Q5_K -> new Q5_KMatrix(tensor);
            case Q6_K -> new Q6_KMatrix(tensor);
            default -> throw new GgufException("Tensor '%s' has type %s, which the CPU backend does not support "
                    .formatted(tensor.name(), tensor.type())
                    + "(supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K)");
        };
    }

    /**
     * This matrix repacked for int8 products, made on first use (the copy costs memory and time that float-only uses
     * never need); null when its format has no int8 kernel or its rows are not whole blocks.
     */
    final PackedRows packed() {
        if (!packTried) {
            synchronized (this) {
                if (!packTried) {
                    packed = columns % 32 == 0 ? PackedRows.of(this) : null;
                    packTried = true;
                }
            }
        }
        return packed;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public long byteSize() {
        return rowBytes * rows;
    }

    /**
     * Writes row {@code row}, dequantized, into {@code out[offset .. offset + columns)}. Each weight is computed
     * exactly as the format's fused {@link #dot} computes it (same operations, no fused multiply-add), which keeps the
     * two paths bit-identical.
     */
    abstract void dequantizeRow(int row, float[] out, int offset);

    @Override
    public final void readRow(int row, float[] out, int offset) {
        dequantizeRow(row, out, offset);
    }

    /** The dot product of row {@code row} with {@code x[offset .. offset + columns)}, in the canonical order. */
    float dot(int row, float[] x, int offset) {
        float[] scratch = scratch(columns);
        dequantizeRow(row, scratch, 0);
        return DotKernels.dot(scratch, 0, x, offset, columns);
    }

    /** {@code out[t * rows + r] = row r . x[t]} for rows {@code [start, end)} and {@code tokens} tokens. */
    final void multiply(float[] x, float[] out, int tokens, int start, int end) {
        if (multiplyNarrow(x, out, tokens, start, end)) {
            return;
        }
        if (tokens == 1) {
            for (int r = start; r < end; r++) {
                out[r] = dot(r, x, 0);
            }
            return;
        }
        float[] tile = scratch(DotKernels.ROWS * columns);
        float[] lanes = LANES.get();
        int r = start;
        for (; r + DotKernels.ROWS <= end; r += DotKernels.ROWS) {
            for (int k = 0; k < DotKernels.ROWS; k++) {
                dequantizeRow(r + k, tile, k * columns);
            }
            int t = 0;
            for (; t + 2 <= tokens; t += 2) {
                DotKernels.tile4x2(tile, 0, x, t * columns, (t + 1) * columns, out, t * rows + r,
                        (t + 1) * rows + r, columns, lanes);
            }
            if (t < tokens) {
                DotKernels.tile4x1(tile, 0, x, t * columns, out, t * rows + r, columns, lanes);
            }
        }
        for (; r < end; r++) {
            dequantizeRow(r, tile, 0);
            for (int t = 0; t < tokens; t++) {
                out[t * rows + r] = DotKernels.dot(tile, 0, x, t * columns, columns);
            }
        }
    }

    /**
     * A format may multiply matrices with very short rows (a LoRA adapter's B, whose rows are its rank) its own way,
     * for every token count alike; returns false when it does not.
     */
    boolean multiplyNarrow(float[] x, float[] out, int tokens, int start, int end) {
        return false;
    }

    private static float[] scratch(int floats) {
        float[] scratch = SCRATCH.get();
        if (scratch.length < floats) {
            scratch = new float[floats];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    float f16(long offset) {
        return Float.float16ToFloat(data.get(SHORT, offset));
    }

    int u8(long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }
}
