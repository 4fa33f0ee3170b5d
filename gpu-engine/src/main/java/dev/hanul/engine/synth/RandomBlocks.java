package dev.hanul.engine.synth;

import dev.hanul.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Random weights in a file format, scaled so every row has roughly unit-variance products (values ~ 1/sqrt(columns))
 * and activations stay finite through many layers, written row by row.
 */
final class RandomBlocks {

    private RandomBlocks() {
    }

    static void write(GgmlType type, long rows, int columns, SplittableRandom random, OutputStream out)
            throws IOException {
        if (columns % type.blockSize() != 0) {
            throw new IllegalArgumentException("Rows of %d values cannot hold %s blocks of %d".formatted(columns, type,
                    type.blockSize()));
        }
        float std = (float) (1 / Math.sqrt(columns));
        ByteBuffer row = ByteBuffer.allocate(Math.toIntExact(type.bytesFor(columns))).order(ByteOrder.LITTLE_ENDIAN);
        for (long r = 0; r < rows; r++) {
            row.clear();
            fillRow(type, columns, std, random, row);
            out.write(row.array(), 0, row.position());
        }
    }

    private static void fillRow(GgmlType type, int columns, float std, SplittableRandom random, ByteBuffer row) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < columns; i++) row.putFloat(gaussian(random, std));
            }
            case F16 -> {
                for (int i = 0; i < columns; i++) row.putShort(Float.floatToFloat16(gaussian(random, std)));
            }
            case BF16 -> {
                for (int i = 0; i < columns; i++) {
                    row.putShort((short) (Float.floatToRawIntBits(gaussian(random, std)) >>> 16));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < columns / 32; b++) {
                    row.putShort(Float.floatToFloat16(std / 73f)); // uniform int8 has std ~73
                    for (int i = 0; i < 32; i++) row.put((byte) random.nextInt(-127, 128));
                }
            }
            case Q4_0, Q4_1 -> {
                for (int b = 0; b < columns / 32; b++) {
                    float d = std / 4.6f; // uniform nibbles have std ~4.6
                    row.putShort(Float.floatToFloat16(d));
                    if (type == GgmlType.Q4_1) {
                        row.putShort(Float.floatToFloat16(-7.5f * d));
                    }
                    for (int i = 0; i < 16; i++) row.put((byte) random.nextInt(256));
                }
            }
            case Q5_0 -> {
                for (int b = 0; b < columns / 32; b++) {
                    row.putShort(Float.floatToFloat16(std / 9.2f)); // uniform 5-bit values have std ~9.2
                    row.putInt(random.nextInt()); // the fifth bits
                    for (int i = 0; i < 16; i++) row.put((byte) random.nextInt(256));
                }
            }
            case Q4_K, Q5_K -> {
                // Every sub-block's 6-bit scale and min is 32; the offset dmin * 32 centres the values on zero.
                float spread = type == GgmlType.Q4_K ? 4.6f : 9.2f;
                float d = std / (spread * SUB_BLOCK_SCALE);
                float mean = type == GgmlType.Q4_K ? 7.5f : 15.5f;
                for (int b = 0; b < columns / 256; b++) {
                    row.putShort(Float.floatToFloat16(d));
                    row.putShort(Float.floatToFloat16(d * mean));
                    row.put(SCALES_ALL_32);
                    int quantBytes = type == GgmlType.Q4_K ? 128 : 32 + 128;
                    for (int i = 0; i < quantBytes; i++) row.put((byte) random.nextInt(256));
                }
            }
            case Q6_K -> {
                for (int b = 0; b < columns / 256; b++) {
                    for (int i = 0; i < 128 + 64; i++) row.put((byte) random.nextInt(256)); // ql, qh: q - 32 in -32..31
                    for (int i = 0; i < 16; i++) row.put((byte) SUB_BLOCK_SCALE);
                    row.putShort(Float.floatToFloat16(std / (18.5f * SUB_BLOCK_SCALE))); // uniform 6-bit std ~18.5
                }
            }
            default -> throw new IllegalArgumentException("Cannot synthesize %s weights (F32, F16, BF16, Q8_0, Q4_0, "
                    .formatted(type) + "Q4_1, Q5_0, Q4_K, Q5_K, Q6_K can be)");
        }
    }

    /** The scale (and min) of every sub-block of the k-quant blocks written here. */
    private static final int SUB_BLOCK_SCALE = 32;

    /**
     * Q4_K's and Q5_K's twelve bytes of 6-bit scales and mins with all sixteen 32, packed as ggml's
     * {@code get_scale_min_k4} reads them: sub-blocks 0-3 in the low six bits of bytes 0-7, sub-blocks 4-7 in the
     * nibbles of bytes 8-11 with their top two bits in the top of bytes 0-7.
     */
    private static final byte[] SCALES_ALL_32 = {
            (byte) 0xA0, (byte) 0xA0, (byte) 0xA0, (byte) 0xA0, (byte) 0xA0, (byte) 0xA0, (byte) 0xA0, (byte) 0xA0,
            0, 0, 0, 0};

    private static float gaussian(SplittableRandom random, float std) {
        return (float) random.nextGaussian() * std;
    }
}
