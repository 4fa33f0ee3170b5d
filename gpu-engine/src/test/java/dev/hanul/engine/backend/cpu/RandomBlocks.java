package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Weight matrices of random blocks in a quantized format, in memory, as the CPU backend reads them from a file. */
final class RandomBlocks {

    private RandomBlocks() {
    }

    /**
     * A {@code rows x columns} matrix: f16 scales of either sign in [0.002, 0.05), minimums of Q4_1 in [-0.2, 0.2),
     * quants uniformly random over their whole range (Q8_0 includes -128, which ggml never writes but a file may hold);
     * K-quants as {@link #superBlocks} describes.
     */
    static CpuMatrix matrix(GgmlType type, int rows, int columns, long seed) {
        Random random = new Random(seed);
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(type.bytesFor((long) rows * columns)))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (type.blockSize() == 256) {
            superBlocks(type, rows * columns / 256, random, bytes);
        } else {
            blocks(type, rows * columns / 32, random, bytes);
        }
        GgufTensor tensor = new GgufTensor(type.name(), type, new long[] {columns, rows},
                MemorySegment.ofArray(bytes.array()));
        return CpuMatrix.of(tensor);
    }

    private static void blocks(GgmlType type, int count, Random random, ByteBuffer bytes) {
        for (int b = 0; b < count; b++) {
            float scale = (0.002f + 0.048f * random.nextFloat()) * (random.nextBoolean() ? 1 : -1);
            bytes.putShort(Float.floatToFloat16(scale));
            switch (type) {
                case Q8_0 -> {
                    for (int i = 0; i < 32; i++) {
                        bytes.put((byte) (random.nextInt(256) - 128));
                    }
                }
                case Q4_0 -> bytes.put(randomBytes(random, 16));
                case Q5_0 -> bytes.put(randomBytes(random, 4 + 16));
                case Q4_1 -> {
                    bytes.putShort(Float.floatToFloat16(0.4f * random.nextFloat() - 0.2f));
                    bytes.put(randomBytes(random, 16));
                }
                default -> throw new IllegalArgumentException("no random blocks for " + type);
            }
        }
    }

    /**
     * K-quant super-blocks: every byte random (6-bit scales and minimums, high bits, signed Q6_K scales) but the f16
     * super-block scales, positive and small enough that weights stay within a few units ({@code d * 63 * 31}).
     */
    private static void superBlocks(GgmlType type, int count, Random random, ByteBuffer bytes) {
        for (int b = 0; b < count; b++) {
            switch (type) {
                case Q4_K, Q5_K -> {
                    bytes.putShort(Float.floatToFloat16(0.0002f + 0.0015f * random.nextFloat()));
                    bytes.putShort(Float.floatToFloat16(0.0002f + 0.0015f * random.nextFloat()));
                    bytes.put(randomBytes(random, Math.toIntExact(type.bytesFor(256)) - 4));
                }
                case Q6_K -> {
                    bytes.put(randomBytes(random, 208));
                    bytes.putShort(Float.floatToFloat16(0.0002f + 0.0015f * random.nextFloat()));
                }
                default -> throw new IllegalArgumentException("no random super-blocks for " + type);
            }
        }
    }

    private static byte[] randomBytes(Random random, int count) {
        byte[] b = new byte[count];
        random.nextBytes(b);
        return b;
    }

    /** Gaussian activations with a few outliers per token, as hidden states have. */
    static float[] activations(int tokens, int columns, long seed) {
        Random random = new Random(seed);
        float[] x = new float[tokens * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian() * (random.nextInt(64) == 0 ? 20 : 1);
        }
        return x;
    }
}
