package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;
import static dev.hanul.engine.backend.cpu.ScaledBlockMatrix.BYTES;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_1: blocks of 32 four-bit values with an f16 scale and an f16 minimum: {@code value = q * d + m}. */
final class Q4_1Matrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 20;

    Q4_1Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, f16(block));
            FloatVector m = FloatVector.broadcast(F, f16(block + 2));
            for (int e = 0; e < 32; e += L) {
                weights(block, e).mul(d).add(m).intoArray(out, offset + i + e);
            }
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, f16(block));
            FloatVector m = FloatVector.broadcast(F, f16(block + 2));
            for (int e = 0; e < 32; e += 2 * L) {
                acc0 = weights(block, e).mul(d).add(m).fma(FloatVector.fromArray(F, x, offset + i + e), acc0);
                acc1 = weights(block, e + L).mul(d).add(m)
                        .fma(FloatVector.fromArray(F, x, offset + i + e + L), acc1);
            }
        }
        return DotKernels.sum(acc0.add(acc1));
    }

    /** Elements {@code [e, e + L)} of the block, unscaled: low nibbles hold elements 0..15, high nibbles 16..31. */
    private FloatVector weights(long block, int e) {
        ByteVector q = ByteVector.fromMemorySegment(BYTES, data, block + 4 + (e & 15), ByteOrder.LITTLE_ENDIAN);
        ByteVector nibbles = e < 16 ? q.and((byte) 0xF) : q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF);
        return (FloatVector) nibbles.convertShape(VectorOperators.B2F, F, 0);
    }
}
