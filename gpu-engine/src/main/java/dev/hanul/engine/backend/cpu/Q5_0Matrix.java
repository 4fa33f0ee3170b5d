package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0: blocks of 32 five-bit values (offset by 16) with one f16 scale: the low four bits as in Q4_0 (byte j holds
 * elements j and j + 16), the fifth bit of element j is bit j of a 32-bit word after the scale. llama.cpp's quantizer
 * uses it for some K/V matrices of K-quant files (Gemma 3's Q4_K_M, for one).
 */
final class Q5_0Matrix extends ScaledBlockMatrix {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long LANE_BITS = (1L << DotKernels.L) - 1;

    Q5_0Matrix(GgufTensor tensor) {
        super(tensor, 22);
    }

    @Override
    FloatVector weights(long block, int e) {
        ByteVector q = bytes(block + 6 + (e & 15));
        ByteVector nibbles = e < 16 ? q.and((byte) 0xF) : q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF);
        long highBits = (Integer.toUnsignedLong(data.get(INT, block + 2)) >>> e) & LANE_BITS;
        ByteVector values = nibbles.add((byte) 16, VectorMask.fromLong(BYTES, highBits));
        return (FloatVector) values.sub((byte) 16).convertShape(VectorOperators.B2F, F, 0);
    }
}
