package dev.hanul.engine.backend;

import dev.hanul.engine.gguf.GgmlType;

/** A weight matrix as a backend holds it: still in its quantized file format, {@code rows x columns}. */
public interface Weights {

    GgmlType type();

    int rows();

    int columns();

    /** Bytes of weights read by one pass over the whole matrix: what bandwidth figures are made of. */
    long byteSize();
}
