package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.Q8_0Matrix.BYTES;

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
            float d = f16(block);
            float m = f16(block + 2);
            for (int j = 0; j < 16; j++) {
                int q = u8(block + 4 + j);
                out[offset + i + j] = d * (q & 0xF) + m;
                out[offset + i + j + 16] = d * (q >>> 4) + m;
            }
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long block = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        FloatVector minAcc = FloatVector.zero(F);
        for (int i = 0; i < columns; i += 32, block += BLOCK_BYTES) {
            FloatVector sum = FloatVector.zero(F);
            FloatVector xSum = FloatVector.zero(F);
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(BYTES, data, block + 4 + j, ByteOrder.LITTLE_ENDIAN);
                FloatVector lowF = (FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector highF = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF)
                        .convertShape(VectorOperators.B2F, F, 0);
                FloatVector xLow = FloatVector.fromArray(F, x, offset + i + j);
                FloatVector xHigh = FloatVector.fromArray(F, x, offset + i + j + 16);
                sum = lowF.fma(xLow, highF.fma(xHigh, sum));
                xSum = xSum.add(xLow).add(xHigh);
            }
            acc = sum.fma(FloatVector.broadcast(F, f16(block)), acc);
            minAcc = xSum.fma(FloatVector.broadcast(F, f16(block + 2)), minAcc);
        }
        return acc.add(minAcc).reduceLanes(VectorOperators.ADD);
    }
}
