package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.ValueLayout;

/** Q6_K: super-blocks of 256 six-bit values (low 4 bits in ql, high 2 in qh) with 16 signed 8-bit scales. */
final class Q6_KMatrix extends CpuMatrix {

    private static final int BLOCK_BYTES = 210;

    Q6_KMatrix(GgufTensor tensor) {
        super(tensor);
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = row * rowBytes;
        for (int i = 0; i < columns; i += 256, block += BLOCK_BYTES) {
            float d = f16(block + 208);
            long ql = block;
            long qh = block + 128;
            long sc = block + 192;
            int y = offset + i;
            for (int n = 0; n < 256; n += 128, y += 128, ql += 64, qh += 32, sc += 8) {
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int h = u8(qh + l);
                    int q1 = ((u8(ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((u8(ql + l + 32) & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                    int q3 = ((u8(ql + l) >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    int q4 = ((u8(ql + l + 32) >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    out[y + l] = d * scale(sc + is) * q1;
                    out[y + l + 32] = d * scale(sc + is + 2) * q2;
                    out[y + l + 64] = d * scale(sc + is + 4) * q3;
                    out[y + l + 96] = d * scale(sc + is + 6) * q4;
                }
            }
        }
    }

    private byte scale(long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset);
    }
}
