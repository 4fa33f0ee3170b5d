package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0: blocks of 32 signed bytes with one f16 scale: {@code value = q * d}. */
final class Q8_0Matrix extends ScaledBlockMatrix {

    Q8_0Matrix(GgufTensor tensor) {
        super(tensor, 34);
    }

    @Override
    FloatVector weights(long block, int e) {
        return (FloatVector) bytes(block + 2 + e).convertShape(VectorOperators.B2F, F, 0);
    }
}
