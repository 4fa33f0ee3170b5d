package dev.hanul.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a GGUF file: its name, type, shape (ggml order: {@code shape[0]} is the contiguous row length) and a
 * zero-copy view of its bytes inside the memory-mapped file.
 */
public record GgufTensor(String name, GgmlType type, long[] shape, MemorySegment data) {

    public long elementCount() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** Length of one row: the number of input features of a weight matrix. */
    public int columns() {
        return Math.toIntExact(shape[0]);
    }

    /** Number of rows: the number of output features of a weight matrix (1 for a vector). */
    public int rows() {
        return Math.toIntExact(elementCount() / shape[0]);
    }

    /**
     * Rows {@code [from, from + count)} of a matrix as a tensor of their own, zero-copy: how fused tensors (Phi-3's
     * attn_qkv, its gate+up ffn_up) split into the separate matrices they concatenate.
     */
    public GgufTensor rows(int from, int count) {
        if (from < 0 || count <= 0 || from + count > rows()) {
            throw new GgufException("tensor '%s' has %d rows; rows %d..%d do not exist"
                    .formatted(name, rows(), from, from + count - 1));
        }
        long rowBytes = type.bytesFor(columns());
        return new GgufTensor("%s[%d:%d]".formatted(name, from, from + count), type,
                new long[] {shape[0], count}, data.asSlice(from * rowBytes, count * rowBytes));
    }

    @Override
    public String toString() {
        return "%s %s %s".formatted(name, type, Arrays.toString(shape));
    }
}
