package dev.hanul.engine.backend;

import dev.hanul.engine.gguf.GgmlType;

/** A weight matrix as a backend holds it: still in its quantized file format, {@code rows x columns}. */
public interface Weights {

    GgmlType type();

    int rows();

    int columns();

    /** Bytes of weights read by one pass over the whole matrix: what bandwidth figures are made of. */
    long byteSize();

    /**
     * Writes row {@code row}, dequantized to floats, into {@code out} from {@code offset}: what training needs to run
     * products with the transposed matrix (gradients flow back through frozen weights). Backends that keep weights
     * out of host reach do not offer it.
     *
     * @throws UnsupportedOperationException when this backend's weights cannot be read back
     */
    default void readRow(int row, float[] out, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " weights cannot be read back to the host; load the model on the CPU backend to train it");
    }
}
