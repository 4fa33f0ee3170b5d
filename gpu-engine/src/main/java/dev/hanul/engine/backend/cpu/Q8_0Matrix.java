package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Q8_0: blocks of 32 signed bytes with one f16 scale: {@code value = q * d}. */
final class Q8_0Matrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 34;
    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    Q8_0Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, f16(block));
            for (int j = 0; j < 32; j += L) {
                weights(block, j).mul(d).intoArray(out, offset + i + j);
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
            for (int j = 0; j < 32; j += 2 * L) {
                acc0 = weights(block, j).mul(d).fma(FloatVector.fromArray(F, x, offset + i + j), acc0);
                acc1 = weights(block, j + L).mul(d).fma(FloatVector.fromArray(F, x, offset + i + j + L), acc1);
            }
        }
        return DotKernels.sum(acc0.add(acc1));
    }

    /** Elements {@code [j, j + L)} of the block, unscaled. */
    private FloatVector weights(long block, int j) {
        ByteVector q = ByteVector.fromMemorySegment(BYTES, data, block + 2 + j, ByteOrder.LITTLE_ENDIAN);
        return (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
    }
}
