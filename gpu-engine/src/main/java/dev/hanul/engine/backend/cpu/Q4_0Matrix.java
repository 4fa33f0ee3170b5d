package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.Q8_0Matrix.BYTES;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_0: blocks of 32 four-bit values (offset by 8) with one f16 scale; byte j holds elements j and j + 16. */
final class Q4_0Matrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 18;

    Q4_0Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            float d = f16(block);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 2 + j);
                out[offset + i + j] = d * ((q & 0xF) - 8);
                out[offset + i + j + 16] = d * ((q >>> 4) - 8);
            }
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long block = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(BYTES, data, block + 2 + j, ByteOrder.LITTLE_ENDIAN);
                ByteVector low = q.and((byte) 0xF).sub((byte) 8);
                ByteVector high = q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).sub((byte) 8);
                FloatVector lowF = (FloatVector) low.convertShape(VectorOperators.B2F, F, 0);
                FloatVector highF = (FloatVector) high.convertShape(VectorOperators.B2F, F, 0);
                sum = lowF.fma(FloatVector.fromArray(F, x, offset + i + j), sum);
                sum = highF.fma(FloatVector.fromArray(F, x, offset + i + j + 16), sum);
            }
            acc = sum.fma(FloatVector.broadcast(F, f16(block)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
