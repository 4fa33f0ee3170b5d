package dev.hanul.index.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the TEXMEX vector files used by SIFT benchmarks: each vector is an int32 dimension followed by that many
 * float32 ({@code .fvecs}) or int32 ({@code .ivecs}) values, all little-endian.
 */
public final class VectorFiles {

    private VectorFiles() {
    }

    public static float[][] readFvecs(Path file) throws IOException {
        ByteBuffer buffer = map(file);
        List<float[]> vectors = new ArrayList<>();
        while (buffer.hasRemaining()) {
            float[] vector = new float[dimension(buffer, file)];
            buffer.asFloatBuffer().get(vector);
            buffer.position(buffer.position() + Float.BYTES * vector.length);
            vectors.add(vector);
        }
        return vectors.toArray(float[][]::new);
    }

    public static int[][] readIvecs(Path file) throws IOException {
        ByteBuffer buffer = map(file);
        List<int[]> vectors = new ArrayList<>();
        while (buffer.hasRemaining()) {
            int[] vector = new int[dimension(buffer, file)];
            buffer.asIntBuffer().get(vector);
            buffer.position(buffer.position() + Integer.BYTES * vector.length);
            vectors.add(vector);
        }
        return vectors.toArray(int[][]::new);
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static int dimension(ByteBuffer buffer, Path file) {
        int dimension = buffer.getInt();
        if (dimension <= 0 || (long) dimension * 4 > buffer.remaining()) {
            throw new IllegalArgumentException(file + " is not a vector file: dimension " + dimension + " at byte "
                    + (buffer.position() - 4) + " with " + buffer.remaining() + " bytes left");
        }
        return dimension;
    }
}
