package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** Plain 32-bit floats. */
final class F32Matrix extends CpuMatrix {

    F32Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        MemorySegment.copy(data, FLOAT, row * rowBytes, out, offset, columns);
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long base = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= columns; i += 2 * L) {
            acc0 = load(base, i).fma(FloatVector.fromArray(F, x, offset + i), acc0);
            acc1 = load(base, i + L).fma(FloatVector.fromArray(F, x, offset + i + L), acc1);
        }
        if (i + L <= columns) {
            acc0 = load(base, i).fma(FloatVector.fromArray(F, x, offset + i), acc0);
            i += L;
        }
        float sum = DotKernels.sum(acc0.add(acc1));
        for (; i < columns; i++) {
            sum += data.get(FLOAT, base + 4L * i) * x[offset + i];
        }
        return sum;
    }

    /**
     * Rows shorter than this are multiplied column by column (see {@link #multiplyNarrow}): LoRA's B matrices, whose
     * rows are the adapter's rank. The dot-product kernels' per-row overhead dwarfs a 16-float dot product.
     */
    static final int NARROW = 64;

    private volatile float[] columnMajor;

    /**
     * {@code out[t][r] = sum_c x[t][c] * W[r][c]} as {@code columns} vector AXPYs over the rows of a column-major copy
     * (made on first use): the same order of operations whatever the token count, so a token's product does not
     * depend on its batch.
     */
    @Override
    boolean multiplyNarrow(float[] x, float[] out, int tokens, int start, int end) {
        if (columns >= NARROW) {
            return false;
        }
        float[] w = columnMajor();
        for (int t = 0; t < tokens; t++) {
            int o = t * rows;
            java.util.Arrays.fill(out, o + start, o + end, 0f);
            for (int c = 0; c < columns; c++) {
                float xc = x[t * columns + c];
                int wc = c * rows;
                int r = start;
                FloatVector factor = FloatVector.broadcast(F, xc);
                for (; r + L <= end; r += L) {
                    FloatVector.fromArray(F, w, wc + r).fma(factor, FloatVector.fromArray(F, out, o + r))
                            .intoArray(out, o + r);
                }
                for (; r < end; r++) {
                    out[o + r] = Math.fma(w[wc + r], xc, out[o + r]);
                }
            }
        }
        return true;
    }

    private float[] columnMajor() {
        float[] w = columnMajor;
        if (w == null) {
            w = new float[rows * columns];
            float[] row = new float[columns];
            for (int r = 0; r < rows; r++) {
                dequantizeRow(r, row, 0);
                for (int c = 0; c < columns; c++) {
                    w[c * rows + r] = row[c];
                }
            }
            columnMajor = w;
        }
        return w;
    }

    private FloatVector load(long base, int i) {
        return FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
    }
}
