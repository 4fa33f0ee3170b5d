package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The formats whose blocks are 32 quantized values behind one f16 scale ({@code value = q * d}): Q8_0 and Q4_0. They
 * differ only in how a block's values unpack, so each supplies {@link #weights} and shares the loops.
 */
abstract class ScaledBlockMatrix extends CpuMatrix {

    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private final int blockBytes;

    ScaledBlockMatrix(GgufTensor tensor, int blockBytes) {
        super(tensor);
        this.blockBytes = blockBytes;
    }

    /** Elements {@code [e, e + L)} of the block at {@code block}, unscaled. */
    abstract FloatVector weights(long block, int e);

    /** The bytes of a block from {@code offset}, as vector lanes. */
    final ByteVector bytes(long offset) {
        return ByteVector.fromMemorySegment(BYTES, data, offset, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    final void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 32, block += blockBytes) {
            FloatVector d = FloatVector.broadcast(F, f16(block));
            for (int e = 0; e < 32; e += L) {
                weights(block, e).mul(d).intoArray(out, offset + i + e);
            }
        }
    }

    @Override
    final float dot(int row, float[] x, int offset) {
        long block = row * rowBytes;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int i = 0; i < columns; i += 32, block += blockBytes) {
            FloatVector d = FloatVector.broadcast(F, f16(block));
            for (int e = 0; e < 32; e += 2 * L) {
                acc0 = weights(block, e).mul(d).fma(FloatVector.fromArray(F, x, offset + i + e), acc0);
                acc1 = weights(block, e + L).mul(d).fma(FloatVector.fromArray(F, x, offset + i + e + L), acc1);
            }
        }
        return DotKernels.sum(acc0.add(acc1));
    }
}
