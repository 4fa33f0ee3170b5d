package dev.hanul.engine.backend.cuda;

import dev.hanul.engine.backend.Buffer;

/** Activations in device memory: {@code size} floats at {@code pointer}. */
record CudaBuffer(long pointer, int size) implements Buffer {

    /** The address of element {@code index}. */
    long at(long index) {
        return pointer + index * Float.BYTES;
    }
}
