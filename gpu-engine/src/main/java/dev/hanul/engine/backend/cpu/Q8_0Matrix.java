package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Q8_0: blocks of 32 signed bytes with one f16 scale. */
final class Q8_0Matrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 34;
    static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * 8));

    Q8_0Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            float d = f16(block);
            for (int j = 0; j < 32; j++) {
                out[offset + i + j] = d * data.get(ValueLayout.JAVA_BYTE, block + 2 + j);
            }
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long block = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < 32; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(BYTES, data, block + 2 + j, ByteOrder.LITTLE_ENDIAN);
                FloatVector w = (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
                sum = w.fma(FloatVector.fromArray(F, x, offset + i + j), sum);
            }
            acc = sum.fma(FloatVector.broadcast(F, f16(block)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
