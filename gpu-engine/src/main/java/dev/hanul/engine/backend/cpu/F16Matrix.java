package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** IEEE half-precision floats. */
final class F16Matrix extends CpuMatrix {

    static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * 16));
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** 2^112: rebiases a half's exponent (bias 15) to a float's (bias 127), subnormals included. */
    private static final float REBIAS = 0x1p112f;

    F16Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = row * rowBytes;
        for (int i = 0; i < columns; i++) {
            out[offset + i] = f16(base + 2L * i);
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long base = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(columns); i < upper; i += F.length()) {
            IntVector h = (IntVector) ShortVector.fromMemorySegment(HALVES, data, base + 2L * i,
                    ByteOrder.LITTLE_ENDIAN).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector bits = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13)
                    .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16));
            FloatVector w = ((FloatVector) bits.reinterpretAsFloats()).mul(REBIAS);
            acc = w.fma(FloatVector.fromArray(F, x, offset + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < columns; i++) {
            sum += f16(base + 2L * i) * x[offset + i];
        }
        return sum;
    }
}
