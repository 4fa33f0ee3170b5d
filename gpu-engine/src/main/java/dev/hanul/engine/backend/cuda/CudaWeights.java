package dev.hanul.engine.backend.cuda;

import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;

/** A weight matrix uploaded once, in its file format, to {@code pointer}. */
record CudaWeights(GgmlType type, int rows, int columns, long pointer, long byteSize) implements Weights {
}
