package dev.hanul.engine.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF (v2 or v3) file, memory-mapped: metadata is parsed into Java values, tensors stay in the mapping and are
 * handed out as zero-copy {@link MemorySegment} slices. Close it to unmap.
 *
 * <p>Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
public final class GgufFile implements AutoCloseable {

    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long MAX_STRING_BYTES = 1L << 24;

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufTensor> tensors;
    private final Arena arena;

    private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, GgufTensor> tensors,
                     Arena arena) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.arena = arena;
    }

    /** Maps and parses the file; every problem is reported as a {@link GgufException} naming the file. */
    public static GgufFile open(Path path) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new Parser(path, mapped).parse(arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new GgufException("Model file not found: " + path.toAbsolutePath());
        } catch (IOException e) {
            arena.close();
            throw new GgufException("Cannot read model file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, GgufTensor> tensors() {
        return tensors;
    }

    public boolean has(String key) {
        return metadata.containsKey(key);
    }

    public GgufTensor tensor(String name) {
        GgufTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new GgufException("%s: tensor '%s' is missing".formatted(path.getFileName(), name));
        }
        return tensor;
    }

    public String getString(String key) {
        return get(key, String.class);
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    public int getInt(String key) {
        return Math.toIntExact(get(key, Number.class).longValue());
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? get(key, Number.class).floatValue() : fallback;
    }

    public boolean getBoolean(String key, boolean fallback) {
        return has(key) ? get(key, Boolean.class) : fallback;
    }

    public String[] getStringArray(String key) {
        return get(key, String[].class);
    }

    public float[] getFloatArray(String key) {
        return get(key, float[].class);
    }

    public int[] getIntArray(String key) {
        return get(key, int[].class);
    }

    private <T> T get(String key, Class<T> type) {
        Object value = metadata.get(key);
        if (value == null) {
            throw new GgufException("%s: metadata key '%s' is missing".formatted(path.getFileName(), key));
        }
        if (!type.isInstance(value)) {
            throw new GgufException("%s: metadata key '%s' is a %s, expected %s".formatted(
                    path.getFileName(), key, value.getClass().getSimpleName(), type.getSimpleName()));
        }
        return type.cast(value);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Reads the header, metadata and tensor infos, checking every length against the file's size. */
    private static final class Parser {
        private final Path path;
        private final MemorySegment file;
        private long pos;

        Parser(Path path, MemorySegment file) {
            this.path = path;
            this.file = file;
        }

        GgufFile parse(Arena arena) {
            if (file.byteSize() < 4 || file.get(INT, 0) != MAGIC) {
                throw fail("not a GGUF file (the magic bytes 'GGUF' are missing)");
            }
            pos = 4;
            int version = u32();
            if (version < 2 || version > 3) {
                throw fail("GGUF version " + version + " is not supported (2 and 3 are)");
            }
            long tensorCount = count(u64(), "tensor count");
            long kvCount = count(u64(), "metadata count");
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = string();
                GgufValueType type = valueType(u32(), key);
                metadata.put(key, value(type, key));
            }
            int alignment = metadata.get("general.alignment") instanceof Number n ? n.intValue() : DEFAULT_ALIGNMENT;
            if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
                throw fail("general.alignment " + alignment + " is not a power of two");
            }
            record Info(String name, GgmlType type, long[] shape, long offset) {}
            Info[] infos = new Info[(int) tensorCount];
            for (int i = 0; i < tensorCount; i++) {
                String name = string();
                int dims = u32();
                if (dims < 1 || dims > 4) {
                    throw fail("tensor '%s' has %d dimensions (1 to 4 allowed)".formatted(name, dims));
                }
                long[] shape = new long[dims];
                for (int d = 0; d < dims; d++) {
                    shape[d] = u64();
                    if (shape[d] <= 0 || shape[d] > (1L << 40)) {
                        throw fail("tensor '%s' has an invalid dimension %d".formatted(name, shape[d]));
                    }
                }
                int typeId = u32();
                GgmlType type = GgmlType.byId(typeId);
                if (type == null) {
                    throw fail("tensor '%s' has unknown type id %d".formatted(name, typeId));
                }
                infos[i] = new Info(name, type, shape, u64());
            }
            long dataStart = align(pos, alignment);
            Map<String, GgufTensor> tensors = new LinkedHashMap<>();
            for (Info info : infos) {
                long elements = 1;
                try {
                    for (long d : info.shape) {
                        elements = Math.multiplyExact(elements, d);
                    }
                } catch (ArithmeticException overflow) {
                    throw fail("tensor '%s' has the shape %s, whose element count does not fit in 64 bits"
                            .formatted(info.name, Arrays.toString(info.shape)));
                }
                if (elements % info.type.blockSize() != 0) {
                    throw fail("tensor '%s' (%s) has %d elements, not a multiple of the block size %d"
                            .formatted(info.name, info.type, elements, info.type.blockSize()));
                }
                long bytes;
                try {
                    bytes = info.type.bytesFor(elements);
                } catch (ArithmeticException overflow) {
                    // a fuzz finding of the clean-clone run: the byte count wrapped negative
                    throw fail("tensor '%s' has the shape %s, whose size in bytes does not fit in 64 bits"
                            .formatted(info.name, Arrays.toString(info.shape)));
                }
                long start = dataStart + info.offset;
                if (info.offset < 0 || start < 0 || bytes > file.byteSize() - start) {
                    throw fail("tensor '%s' lies beyond the end of the file (needs bytes up to %d, file has %d): "
                            .formatted(info.name, start + bytes, file.byteSize()) + "the file is truncated");
                }
                tensors.put(info.name, new GgufTensor(info.name, info.type, info.shape, file.asSlice(start, bytes)));
            }
            return new GgufFile(path, version, metadata, tensors, arena);
        }

        private Object value(GgufValueType type, String key) {
            return switch (type) {
                case UINT8 -> Byte.toUnsignedInt(u8());
                case INT8 -> (int) u8();
                case UINT16 -> Short.toUnsignedInt(u16());
                case INT16 -> (int) u16();
                case UINT32 -> Integer.toUnsignedLong(u32());
                case INT32 -> u32();
                case FLOAT32 -> Float.intBitsToFloat(u32());
                case BOOL -> u8() != 0;
                case STRING -> string();
                case UINT64, INT64 -> u64();
                case FLOAT64 -> Double.longBitsToDouble(u64());
                case ARRAY -> array(key);
            };
        }

        private Object array(String key) {
            GgufValueType type = valueType(u32(), key);
            int length = (int) count(u64(), "length of array '" + key + "'");
            switch (type) {
                case STRING -> {
                    String[] values = new String[length];
                    for (int i = 0; i < length; i++) values[i] = string();
                    return values;
                }
                case FLOAT32 -> {
                    float[] values = new float[length];
                    for (int i = 0; i < length; i++) values[i] = Float.intBitsToFloat(u32());
                    return values;
                }
                case INT32, UINT32 -> {
                    int[] values = new int[length];
                    for (int i = 0; i < length; i++) values[i] = u32();
                    return values;
                }
                case INT8, UINT8, BOOL -> {
                    int[] values = new int[length];
                    for (int i = 0; i < length; i++) values[i] = type == GgufValueType.INT8 ? u8() : u8() & 0xFF;
                    return values;
                }
                default -> {
                    Object[] values = new Object[length];
                    for (int i = 0; i < length; i++) values[i] = value(type, key);
                    return values;
                }
            }
        }

        private GgufValueType valueType(int id, String key) {
            GgufValueType type = GgufValueType.byId(id);
            if (type == null) {
                throw fail("metadata '%s' has unknown value type %d".formatted(key, id));
            }
            return type;
        }

        private long count(long value, String what) {
            if (value < 0 || value > Integer.MAX_VALUE || value > file.byteSize()) {
                throw fail(what + " " + Long.toUnsignedString(value) + " is impossible for a file of "
                        + file.byteSize() + " bytes (the file is corrupt)");
            }
            return value;
        }

        private String string() {
            long length = u64();
            if (length < 0 || length > MAX_STRING_BYTES) {
                throw fail("string length " + Long.toUnsignedString(length) + " at byte " + (pos - 8)
                        + " is impossible (the file is corrupt)");
            }
            byte[] bytes = file.asSlice(need(length), length).toArray(ValueLayout.JAVA_BYTE);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private byte u8() {
            return file.get(ValueLayout.JAVA_BYTE, need(1));
        }

        private short u16() {
            return file.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), need(2));
        }

        private int u32() {
            return file.get(INT, need(4));
        }

        private long u64() {
            return file.get(LONG, need(8));
        }

        /** Reserves {@code bytes} at the cursor and returns where they start, or fails when the file ends first. */
        private long need(long bytes) {
            if (pos + bytes > file.byteSize()) {
                throw fail("unexpected end of file at byte " + pos + " (the file is truncated)");
            }
            long start = pos;
            pos += bytes;
            return start;
        }

        private GgufException fail(String problem) {
            return new GgufException("Invalid GGUF file " + path + ": " + problem);
        }
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
