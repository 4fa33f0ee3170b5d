package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;

/** bfloat16: the upper half of a 32-bit float. */
final class Bf16Matrix extends CpuMatrix {

    Bf16Matrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = row * rowBytes;
        for (int i = 0; i < columns; i++) {
            out[offset + i] = Float.intBitsToFloat(data.get(SHORT, base + 2L * i) << 16);
        }
    }
}
