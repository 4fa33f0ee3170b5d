package dev.hanul.engine.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a GGUF v3 file with metadata only (no tensors), for tokenizers built from small synthetic vocabularies. */
final class MetadataOnlyGguf {

    private static final int UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7, STRING = 8, ARRAY = 9;

    private final Map<String, Object> metadata = new LinkedHashMap<>();

    /** String, Boolean, Integer (written as uint32), String[], int[] (int32) or float[]. */
    MetadataOnlyGguf put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    Path write(Path file) {
        ByteBuffer out = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0x46554747).putInt(3).putLong(0).putLong(metadata.size());
        metadata.forEach((key, value) -> {
            string(out, key);
            switch (value) {
                case String s -> string(out.putInt(STRING), s);
                case Boolean b -> out.putInt(BOOL).put((byte) (b ? 1 : 0));
                case Integer i -> out.putInt(UINT32).putInt(i);
                case String[] strings -> {
                    out.putInt(ARRAY).putInt(STRING).putLong(strings.length);
                    for (String s : strings) {
                        string(out, s);
                    }
                }
                case int[] ints -> {
                    out.putInt(ARRAY).putInt(INT32).putLong(ints.length);
                    for (int i : ints) {
                        out.putInt(i);
                    }
                }
                case float[] floats -> {
                    out.putInt(ARRAY).putInt(FLOAT32).putLong(floats.length);
                    for (float f : floats) {
                        out.putFloat(f);
                    }
                }
                default -> throw new IllegalArgumentException("unsupported metadata value " + value);
            }
        });
        try {
            return Files.write(file, java.util.Arrays.copyOf(out.array(), out.position()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void string(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.putLong(bytes.length).put(bytes);
    }
}
