package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix in the memory-mapped file, multiplied in its quantized format. Each format supplies a scalar
 * {@link #dequantizeRow} (the definition, straight from ggml) and may supply a fused, vectorized {@link #dot} that
 * never materializes the row; when a batch of tokens shares the matrix, rows are dequantized once into a per-thread
 * scratch row and reused for every token, so the weights are read once per step.
 */
abstract class CpuMatrix implements Weights {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Below this many tokens a fused dot per token beats dequantizing the row once. */
    private static final int FUSED_DOT_MAX_TOKENS = 3;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    final MemorySegment data;
    final int rows;
    final int columns;
    final long rowBytes;
    private final GgmlType type;

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
            case Q4_K -> new Q4_KMatrix(tensor);
            case Q5_K -> new Q5_KMatrix(tensor);
            case Q6_K -> new Q6_KMatrix(tensor);
            default -> throw new GgufException("Tensor '%s' has type %s, which the CPU backend does not support "
                    .formatted(tensor.name(), tensor.type())
                    + "(supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K)");
        };
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

    /** Writes row {@code row}, dequantized, into {@code out[offset .. offset + columns)}. */
    abstract void dequantizeRow(int row, float[] out, int offset);

    /** The dot product of row {@code row} with {@code x[offset .. offset + columns)}. */
    float dot(int row, float[] x, int offset) {
        float[] scratch = scratch();
        dequantizeRow(row, scratch, 0);
        return dot(scratch, 0, x, offset, columns);
    }

    /** {@code out[t * rows + r] = row r . x[t]} for rows {@code [start, end)} and {@code tokens} tokens. */
    final void multiply(float[] x, float[] out, int tokens, int start, int end) {
        if (tokens <= FUSED_DOT_MAX_TOKENS) {
            for (int r = start; r < end; r++) {
                for (int t = 0; t < tokens; t++) {
                    out[t * rows + r] = dot(r, x, t * columns);
                }
            }
            return;
        }
        float[] row = scratch();
        for (int r = start; r < end; r++) {
            dequantizeRow(r, row, 0);
            int t = 0;
            for (; t + 4 <= tokens; t += 4) {
                dot4(row, x, t * columns, out, t * rows + r);
            }
            for (; t < tokens; t++) {
                out[t * rows + r] = dot(row, 0, x, t * columns, columns);
            }
        }
    }

    /** Four tokens' dot products with one row: each weight vector is loaded once for all four. */
    private void dot4(float[] row, float[] x, int xOffset, float[] out, int outOffset) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(columns); i < upper; i += F.length()) {
            FloatVector w = FloatVector.fromArray(F, row, i);
            a0 = w.fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 = w.fma(FloatVector.fromArray(F, x, xOffset + columns + i), a1);
            a2 = w.fma(FloatVector.fromArray(F, x, xOffset + 2 * columns + i), a2);
            a3 = w.fma(FloatVector.fromArray(F, x, xOffset + 3 * columns + i), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (; i < columns; i++) {
            s0 += row[i] * x[xOffset + i];
            s1 += row[i] * x[xOffset + columns + i];
            s2 += row[i] * x[xOffset + 2 * columns + i];
            s3 += row[i] * x[xOffset + 3 * columns + i];
        }
        out[outOffset] = s0;
        out[outOffset + rows] = s1;
        out[outOffset + 2 * rows] = s2;
        out[outOffset + 3 * rows] = s3;
    }

    private float[] scratch() {
        float[] scratch = SCRATCH.get();
        if (scratch.length < columns) {
            scratch = new float[columns];
            SCRATCH.set(scratch);
        }
        return scratch;
    }

    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(length); i < upper; i += F.length()) {
            acc = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    float f16(long offset) {
        return Float.float16ToFloat(data.get(SHORT, offset));
    }

    int u8(long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }
}
