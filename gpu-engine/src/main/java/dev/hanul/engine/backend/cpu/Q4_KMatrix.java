package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Q4_K: super-blocks of 256 (eight sub-blocks of 32) with 6-bit sub-block scales and minimums. */
final class Q4_KMatrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 144;

    Q4_KMatrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        byte[] scales = new byte[KQuants.SCALES_BYTES];
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 256, block += BLOCK_BYTES) {
            float d = f16(block);
            float dmin = f16(block + 2);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, block + 4, scales, 0, scales.length);
            long qs = block + 4 + KQuants.SCALES_BYTES;
            int y = offset + i;
            for (int j = 0, is = 0; j < 256; j += 64, is += 2, qs += 32) {
                float d1 = d * KQuants.scale(is, scales), m1 = dmin * KQuants.min(is, scales);
                float d2 = d * KQuants.scale(is + 1, scales), m2 = dmin * KQuants.min(is + 1, scales);
                for (int l = 0; l < 32; l++) {
                    out[y++] = d1 * (u8(qs + l) & 0xF) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    out[y++] = d2 * (u8(qs + l) >>> 4) - m2;
                }
            }
        }
    }
}
