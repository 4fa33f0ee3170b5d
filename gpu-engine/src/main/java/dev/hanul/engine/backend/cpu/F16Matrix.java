package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;

/** IEEE half-precision floats. */
final class F16Matrix extends CpuMatrix {

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
}
