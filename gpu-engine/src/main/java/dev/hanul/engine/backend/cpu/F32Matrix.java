package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.DotKernels.L;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** Plain 32-bit floats. */
final class F32Matrix extends CpuMatrix {

    F32Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        MemorySegment.copy(data, FLOAT, row * rowBytes, out, offset, columns);
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
            sum += data.get(FLOAT, base + 4L * i) * x[offset + i];
        }
        return sum;
    }

    private FloatVector load(long base, int i) {
        return FloatVector.fromMemorySegment(F, data, base + 4L * i, ByteOrder.LITTLE_ENDIAN);
    }
}
