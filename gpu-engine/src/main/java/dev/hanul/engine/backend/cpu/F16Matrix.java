package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;

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

    static final VectorSpecies<Short> HALVES = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, F.vectorShape());
    /** 2^112: rebiases a half's exponent (bias 15) to a float's (bias 127), subnormals included. */
    private static final float REBIAS = 0x1p112f;

    F16Matrix(GgufTensor tensor) {
        super(tensor);
    }

    /** Vector lanes and the scalar tail give the same floats: both conversions are exact for finite halves. */
    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = row * rowBytes;
        int i = 0;
        for (; i + L <= columns; i += L) {
            load(base, i).intoArray(out, offset + i);
        }
        for (; i < columns; i++) {
            out[offset + i] = f16(base + 2L * i);
        }
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
            sum += f16(base + 2L * i) * x[offset + i];
        }
        return sum;
    }

    /** Halves {@code [i, i + L)} of the row as floats, converted with integer lanes (no float16 vector type yet). */
    private FloatVector load(long base, int i) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(HALVES, data, base + 2L * i, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, INTS, 0);
        IntVector bits = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13)
                .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16));
        return ((FloatVector) bits.reinterpretAsFloats()).mul(REBIAS);
    }
}
