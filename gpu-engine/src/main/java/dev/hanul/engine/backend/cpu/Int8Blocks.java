package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgmlType;

/**
 * Every format with an int8 kernel read as one shape: blocks of 32 integer weights, each block with a float scale
 * per half (16 values; the two halves share one except in Q6_K) and a float offset, so that
 * {@code weight = scale * q + offset}. The products then need only the activations' int8 values, their block scale and
 * their block sum ({@link Q8Activations}), whatever the format; the K-quants' super-blocks of 256 become eight such
 * blocks, their 6-bit (Q4_K, Q5_K) or 8-bit (Q6_K) sub-block scales folded into the float scale. Used once, when a
 * matrix is repacked ({@link PackedQ4Rows}, {@link PackedQ8Rows}); each value is computed exactly as the format's
 * {@code dequantizeRow} computes it.
 */
final class Int8Blocks {

    /** Where {@link #read} leaves the scale of the first half, of the second half and the offset. */
    static final int FIRST_SCALE = 0;
    static final int SECOND_SCALE = 1;
    static final int OFFSET = 2;

    private Int8Blocks() {
    }

    /** Whether {@link #read} knows {@code type}. */
    static boolean supports(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K -> true;
            default -> false;
        };
    }

    /**
     * Block {@code b} (32 values) of row {@code row}: its integers into {@code q[0..32)}, in element order, and its
     * scales and offset into {@code factors} at {@link #FIRST_SCALE}, {@link #SECOND_SCALE} and {@link #OFFSET}.
     */
    static void read(CpuMatrix m, int row, int b, int[] q, float[] factors) {
        long rowStart = row * m.rowBytes;
        switch (m.type()) {
            case Q8_0 -> {
                long block = rowStart + b * 34L;
                for (int i = 0; i < 32; i++) {
                    q[i] = (byte) m.u8(block + 2 + i);
                }
                set(factors, m.f16(block), m.f16(block), 0);
            }
            case Q4_0, Q4_1 -> {
                boolean q41 = m.type() == GgmlType.Q4_1;
                long block = rowStart + b * (q41 ? 20L : 18L);
                long qs = block + (q41 ? 4 : 2);
                for (int i = 0; i < 16; i++) {
                    int v = m.u8(qs + i);
                    q[i] = v & 0xF;
                    q[i + 16] = v >>> 4;
                }
                float d = m.f16(block);
                // Q4_0 is d * (q - 8): d * q + (-8 * d), exact in float.
                set(factors, d, d, q41 ? m.f16(block + 2) : -8 * d);
            }
            case Q5_0 -> {
                // d * (q - 16), q of five bits: the low four as in Q4_0, the fifth of element j is bit j of qh.
                long block = rowStart + b * 22L;
                int qh = m.u8(block + 2) | m.u8(block + 3) << 8 | m.u8(block + 4) << 16 | m.u8(block + 5) << 24;
                for (int j = 0; j < 16; j++) {
                    int v = m.u8(block + 6 + j);
                    q[j] = ((v & 0xF) | ((qh >>> j) & 1) << 4) - 16;
                    q[j + 16] = ((v >>> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16;
                }
                float d = m.f16(block);
                set(factors, d, d, 0);
            }
            case Q4_K -> {
                long block = rowStart + (b / 8) * 144L;
                int sub = b % 8;
                byte[] scales = kScales(m, block);
                long qs = block + 4 + KQuants.SCALES_BYTES + (sub / 2) * 32L;
                int shift = 4 * (sub % 2);
                for (int l = 0; l < 32; l++) {
                    q[l] = (m.u8(qs + l) >>> shift) & 0xF;
                }
                float d = m.f16(block) * KQuants.scale(sub, scales);
                set(factors, d, d, -(m.f16(block + 2) * KQuants.min(sub, scales)));
            }
            case Q5_K -> {
                long block = rowStart + (b / 8) * 176L;
                int sub = b % 8;
                byte[] scales = kScales(m, block);
                long qh = block + 4 + KQuants.SCALES_BYTES;
                long ql = qh + 32 + (sub / 2) * 32L;
                int shift = 4 * (sub % 2);
                int high = 1 << sub;
                for (int l = 0; l < 32; l++) {
                    q[l] = ((m.u8(ql + l) >>> shift) & 0xF) + ((m.u8(qh + l) & high) != 0 ? 16 : 0);
                }
                float d = m.f16(block) * KQuants.scale(sub, scales);
                set(factors, d, d, -(m.f16(block + 2) * KQuants.min(sub, scales)));
            }
            case Q6_K -> {
                long block = rowStart + (b / 8) * 210L;
                int sub = b % 8; // elements 32 * sub .. + 32 of the super-block
                int half = sub / 4; // ggml's two halves of 128
                int k = sub % 4; // which of q1..q4 within the half
                long ql = block + 64L * half + (k % 2) * 32L;
                long qh = block + 128 + 32L * half;
                int lowShift = 4 * (k / 2);
                int highShift = 2 * k;
                for (int l = 0; l < 32; l++) {
                    q[l] = (((m.u8(ql + l) >>> lowShift) & 0xF) | (((m.u8(qh + l) >>> highShift) & 3) << 4)) - 32;
                }
                float d = m.f16(block + 208);
                long sc = block + 192 + 2L * sub;
                // As dequantizeRow: d * scale * q, the product d * scale first.
                set(factors, d * (byte) m.u8(sc), d * (byte) m.u8(sc + 1), 0);
            }
            default -> throw new IllegalArgumentException("no int8 blocks for " + m.type());
        }
    }

    private static byte[] kScales(CpuMatrix m, long block) {
        byte[] scales = new byte[KQuants.SCALES_BYTES];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = (byte) m.u8(block + 4 + i);
        }
        return scales;
    }

    private static void set(float[] factors, float first, float second, float offset) {
        factors[FIRST_SCALE] = first;
        factors[SECOND_SCALE] = second;
        factors[OFFSET] = offset;
    }
}
