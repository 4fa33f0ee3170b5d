package dev.hanul.engine.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files: typed metadata and tensors whose bytes are produced while writing, so multi-gigabyte
 * synthetic models never sit in memory. Used by tests and by {@code hanul model synth}.
 */
public final class GgufWriter {

    /** Produces a tensor's bytes, in its file format, onto the stream. */
    @FunctionalInterface
    public interface TensorBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(GgufValueType type, GgufValueType elementType, Object value) {}

    private record Tensor(String name, GgmlType type, long[] shape, long bytes, TensorBytes content) {}

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, null, value);
    }

    public GgufWriter putUInt32(String key, int value) {
        return put(key, GgufValueType.UINT32, null, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, null, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, null, value);
    }

    public GgufWriter putStrings(String key, String[] values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.STRING, values);
    }

    public GgufWriter putFloats(String key, float[] values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.FLOAT32, values);
    }

    public GgufWriter putInts(String key, int[] values) {
        return put(key, GgufValueType.ARRAY, GgufValueType.INT32, values);
    }

    /** Copies a value read by {@link GgufFile} (e.g. the tokenizer of another model), keeping its shape. */
    public GgufWriter putValue(String key, Object value) {
        return switch (value) {
            case String s -> putString(key, s);
            case Long l -> put(key, GgufValueType.UINT32, null, Math.toIntExact(l));
            case Integer i -> put(key, GgufValueType.INT32, null, i);
            case Float f -> putFloat32(key, f);
            case Boolean b -> putBool(key, b);
            case String[] s -> putStrings(key, s);
            case float[] f -> putFloats(key, f);
            case int[] i -> putInts(key, i);
            default -> throw new IllegalArgumentException(
                    "Cannot write metadata '%s' of type %s".formatted(key, value.getClass().getSimpleName()));
        };
    }

    /** Adds a tensor; {@code shape} is in ggml order ({@code shape[0]} = row length). */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorBytes content) {
        long elements = 1;
        for (long d : shape) {
            elements *= d;
        }
        tensors.add(new Tensor(name, type, shape.clone(), type.bytesFor(elements), content));
        return this;
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] data) {
        return addTensor(name, type, shape, out -> out.write(data));
    }

    public void write(Path path) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            Counting counting = new Counting(out);
            counting.u32(GgufFile.MAGIC);
            counting.u32(3);
            counting.u64(tensors.size());
            counting.u64(metadata.size());
            for (Map.Entry<String, Entry> e : metadata.entrySet()) {
                counting.string(e.getKey());
                counting.u32(e.getValue().type().id());
                counting.value(e.getValue());
            }
            long offset = 0;
            for (Tensor t : tensors) {
                counting.string(t.name());
                counting.u32(t.shape().length);
                for (long d : t.shape()) {
                    counting.u64(d);
                }
                counting.u32(t.type().id());
                counting.u64(offset);
                offset = GgufFile.align(offset + t.bytes(), alignment);
            }
            counting.pad(alignment);
            for (Tensor t : tensors) {
                long before = counting.written;
                t.content().writeTo(counting);
                if (counting.written - before != t.bytes()) {
                    throw new IllegalStateException("tensor '%s' wrote %d bytes, its shape and type need %d"
                            .formatted(t.name(), counting.written - before, t.bytes()));
                }
                counting.pad(alignment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private GgufWriter put(String key, GgufValueType type, GgufValueType elementType, Object value) {
        metadata.put(key, new Entry(type, elementType, value));
        return this;
    }

    /** A little-endian stream that knows its position, for alignment. */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        long written;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written += len;
        }

        void u32(int v) throws IOException {
            write(scratch.clear().putInt(v).array(), 0, 4);
        }

        void u64(long v) throws IOException {
            write(scratch.clear().putLong(v).array(), 0, 8);
        }

        void string(String s) throws IOException {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            write(bytes, 0, bytes.length);
        }

        void pad(int alignment) throws IOException {
            while (written % alignment != 0) {
                write(0);
            }
        }

        void value(Entry e) throws IOException {
            switch (e.type()) {
                case STRING -> string((String) e.value());
                case UINT32, INT32 -> u32((Integer) e.value());
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) e.value()));
                case BOOL -> write((Boolean) e.value() ? 1 : 0);
                case ARRAY -> array(e.elementType(), e.value());
                default -> throw new IllegalStateException("unwritable metadata type " + e.type());
            }
        }

        private void array(GgufValueType elementType, Object values) throws IOException {
            u32(elementType.id());
            switch (values) {
                case String[] s -> {
                    u64(s.length);
                    for (String v : s) string(v);
                }
                case float[] f -> {
                    u64(f.length);
                    for (float v : f) u32(Float.floatToRawIntBits(v));
                }
                case int[] i -> {
                    u64(i.length);
                    for (int v : i) u32(v);
                }
                default -> throw new IllegalStateException("unwritable array " + values.getClass());
            }
        }
    }
}
