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
            default -> throw new IllegalArgumentException(
                    "Cannot synthesize %s weights (F32, F16, BF16, Q8_0, Q4_0, Q4_1 can be)".formatted(type));
        }
    }

    private static float gaussian(SplittableRandom random, float std) {
        return (float) random.nextGaussian() * std;
    }
}
