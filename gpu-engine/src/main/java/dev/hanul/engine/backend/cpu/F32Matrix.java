package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Plain 32-bit floats. */
final class F32Matrix extends CpuMatrix {

    F32Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = row * rowBytes;
        for (int i = 0; i < columns; i++) {
            out[offset + i] = data.get(FLOAT, base + 4L * i);
        }
    }

    @Override
    float dot(int row, float[] x, int offset) {
        long base = row * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = F.loopBound(columns); i < upper; i += F.length()) {
            FloatVector w = FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
            acc = w.fma(FloatVector.fromArray(F, x, offset + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < columns; i++) {
            sum += data.get(FLOAT, base + 4L * i) * x[offset + i];
        }
        return sum;
    }
}
