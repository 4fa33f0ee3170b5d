package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.backend.Buffer;

/** Activations on the heap. */
record CpuBuffer(float[] data) implements Buffer {

    @Override
    public int size() {
        return data.length;
    }
}
