package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_0: blocks of 32 four-bit values (offset by 8) with one f16 scale; byte j holds elements j and j + 16. */
final class Q4_0Matrix extends ScaledBlockMatrix {

    Q4_0Matrix(GgufTensor tensor) {
        super(tensor, 18);
    }

    /** Low nibbles hold elements 0..15, high nibbles 16..31. */
    @Override
    FloatVector weights(long block, int e) {
        ByteVector q = bytes(block + 2 + (e & 15));
        ByteVector nibbles = e < 16 ? q.and((byte) 0xF) : q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF);
        return (FloatVector) nibbles.sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
    }
}
