package dev.hanul.engine.train;

import dev.hanul.engine.backend.Weights;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;

/**
 * A frozen base matrix {@code W} ({@code rows x columns}), dequantized once from the GGUF into floats: training
 * multiplies by it forward ({@code y = W x}) and backward ({@code dx += W^T dy}) many times per step, and a float copy
 * turns the transposed product into plain vector loops. The values are exactly what the engine's kernels dequantize,
 * so the base model is the one the file holds (the quantized weights, as QLoRA trains over them).
 *
 * <p>Both products split their output among the common fork-join pool's threads and compute each output element in
 * one fixed order, so results do not depend on the number of threads: a resumed run repeats the same bits.
 */
final class FrozenMatrix {

    private static final int ROW_CHUNK = 32;
    private static final int TOKEN_TILE = 4;

    final int rows;
    final int columns;
    private final float[] w;

    private FrozenMatrix(int rows, int columns, float[] w) {
        this.rows = rows;
        this.columns = columns;
        this.w = w;
    }

    static FrozenMatrix of(Weights weights) {
        int rows = weights.rows();
        int columns = weights.columns();
        float[] values = new float[Math.multiplyExact(rows, columns)];
        for (int r = 0; r < rows; r++) {
            weights.readRow(r, values, r * columns);
        }
        return new FrozenMatrix(rows, columns, values);
    }

    /** For tests: a matrix from its row-major values. */
    static FrozenMatrix of(int rows, int columns, float[] values) {
        return new FrozenMatrix(rows, columns, values.clone());
    }

    /** Adds the bits of the first {@code count} rows to {@code crc}: part of a base model's fingerprint. */
    void hashRows(java.util.zip.CRC32 crc, int count) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * columns);
        for (int r = 0; r < Math.min(count, rows); r++) {
            bytes.clear();
            bytes.asFloatBuffer().put(w, r * columns, columns);
            crc.update(bytes.array());
        }
    }

    /** Row {@code row} of the matrix into {@code out} (embedding lookups). */
    void copyRow(int row, float[] out, int offset) {
        System.arraycopy(w, row * columns, out, offset, columns);
    }

    /** {@code y[t] = W x[t]} for the first {@code tokens} rows of {@code x} ({@code columns} wide) into {@code y}. */
    void multiply(float[] x, int tokens, float[] y) {
        int chunks = (rows + ROW_CHUNK - 1) / ROW_CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = c * ROW_CHUNK;
            int to = Math.min(rows, from + ROW_CHUNK);
            for (int r = from; r < to; r++) {
                int t = 0;
                for (; t + TOKEN_TILE <= tokens; t += TOKEN_TILE) {
                    dot4(r, x, t, tokens, y);
                }
                for (; t < tokens; t++) {
                    y[t * rows + r] = VectorMath.dot(w, r * columns, x, t * columns, columns);
                }
            }
        });
    }

    /** One weight row against four tokens: the row is loaded once for all four. */
    private void dot4(int r, float[] x, int t, int tokens, float[] y) {
        int wo = r * columns;
        int x0 = t * columns;
        int x1 = x0 + columns;
        int x2 = x1 + columns;
        int x3 = x2 + columns;
        FloatVector a0 = FloatVector.zero(VectorMath.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = VectorMath.F.loopBound(columns); i < bound; i += VectorMath.L) {
            FloatVector wv = FloatVector.fromArray(VectorMath.F, w, wo + i);
            a0 = wv.fma(FloatVector.fromArray(VectorMath.F, x, x0 + i), a0);
            a1 = wv.fma(FloatVector.fromArray(VectorMath.F, x, x1 + i), a1);
            a2 = wv.fma(FloatVector.fromArray(VectorMath.F, x, x2 + i), a2);
            a3 = wv.fma(FloatVector.fromArray(VectorMath.F, x, x3 + i), a3);
        }
        float s0 = VectorMath.sum(a0);
        float s1 = VectorMath.sum(a1);
        float s2 = VectorMath.sum(a2);
        float s3 = VectorMath.sum(a3);
        for (; i < columns; i++) {
            float wi = w[wo + i];
            s0 += wi * x[x0 + i];
            s1 += wi * x[x1 + i];
            s2 += wi * x[x2 + i];
            s3 += wi * x[x3 + i];
        }
        y[t * rows + r] = s0;
        y[(t + 1) * rows + r] = s1;
        y[(t + 2) * rows + r] = s2;
        y[(t + 3) * rows + r] = s3;
    }

    /**
     * {@code dx[t] += W^T dy[t]} for the first {@code tokens} rows of {@code dy} ({@code rows} wide), {@code dx}
     * being {@code columns} wide: the gradient that flows back through the frozen matrix to its input.
     */
    void multiplyTransposedAdd(float[] dy, int tokens, float[] dx) {
        int strip = 2 * VectorMath.L;
        int strips = (columns + strip - 1) / strip;
        IntStream.range(0, strips).parallel().forEach(s -> {
            int from = s * strip;
            if (from + strip <= columns) {
                int t = 0;
                for (; t + TOKEN_TILE <= tokens; t += TOKEN_TILE) {
                    strip4(from, dy, t, dx);
                }
                for (; t < tokens; t++) {
                    stripScalar(from, from + strip, dy, t, dx);
                }
            } else {
                for (int t = 0; t < tokens; t++) {
                    stripScalar(from, columns, dy, t, dx);
                }
            }
        });
    }

    /** Columns {@code [from, from + 2 vectors)} of four tokens' {@code dx}, kept in registers over all rows. */
    private void strip4(int from, float[] dy, int t, float[] dx) {
        var f = VectorMath.F;
        int l = VectorMath.L;
        FloatVector a00 = FloatVector.zero(f);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        int d0 = t * rows;
        int d1 = d0 + rows;
        int d2 = d1 + rows;
        int d3 = d2 + rows;
        for (int r = 0; r < rows; r++) {
            int wo = r * columns + from;
            FloatVector w0 = FloatVector.fromArray(f, w, wo);
            FloatVector w1 = FloatVector.fromArray(f, w, wo + l);
            FloatVector g = FloatVector.broadcast(f, dy[d0 + r]);
            a00 = w0.fma(g, a00);
            a01 = w1.fma(g, a01);
            g = FloatVector.broadcast(f, dy[d1 + r]);
            a10 = w0.fma(g, a10);
            a11 = w1.fma(g, a11);
            g = FloatVector.broadcast(f, dy[d2 + r]);
            a20 = w0.fma(g, a20);
            a21 = w1.fma(g, a21);
            g = FloatVector.broadcast(f, dy[d3 + r]);
            a30 = w0.fma(g, a30);
            a31 = w1.fma(g, a31);
        }
        addInto(dx, t * columns + from, a00, a01);
        addInto(dx, (t + 1) * columns + from, a10, a11);
        addInto(dx, (t + 2) * columns + from, a20, a21);
        addInto(dx, (t + 3) * columns + from, a30, a31);
    }

    private static void addInto(float[] dx, int offset, FloatVector v0, FloatVector v1) {
        var f = VectorMath.F;
        FloatVector.fromArray(f, dx, offset).add(v0).intoArray(dx, offset);
        FloatVector.fromArray(f, dx, offset + VectorMath.L).add(v1).intoArray(dx, offset + VectorMath.L);
    }

    private void stripScalar(int from, int to, float[] dy, int t, float[] dx) {
        for (int i = from; i < to; i++) {
            float sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += w[r * columns + i] * dy[t * rows + r];
            }
            dx[t * columns + i] += sum;
        }
    }
}
