package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Q5_K: Q4_K's layout plus one high bit per value in 32 {@code qh} bytes. */
final class Q5_KMatrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 176;

    Q5_KMatrix(GgufTensor tensor) {
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
            long qh = block + 4 + KQuants.SCALES_BYTES;
            long ql = qh + 32;
            int y = offset + i;
            int u1 = 1, u2 = 2;
            for (int j = 0, is = 0; j < 256; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
                float d1 = d * KQuants.scale(is, scales), m1 = dmin * KQuants.min(is, scales);
                float d2 = d * KQuants.scale(is + 1, scales), m2 = dmin * KQuants.min(is + 1, scales);
                for (int l = 0; l < 32; l++) {
                    out[y++] = d1 * ((u8(ql + l) & 0xF) + ((u8(qh + l) & u1) != 0 ? 16 : 0)) - m1;
                }
                for (int l = 0; l < 32; l++) {
                    out[y++] = d2 * ((u8(ql + l) >>> 4) + ((u8(qh + l) & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }
}
