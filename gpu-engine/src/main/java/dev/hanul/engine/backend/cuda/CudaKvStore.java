package dev.hanul.engine.backend.cuda;

import dev.hanul.engine.backend.KvStore;

/** The paged KV cache in device memory: all layers' keys in one allocation, all values in another, layer-major. */
record CudaKvStore(int layers, int slots, int kvDim, long keys, long values) implements KvStore {

    long keys(int layer) {
        return keys + (long) layer * slots * kvDim * Float.BYTES;
    }

    long values(int layer) {
        return values + (long) layer * slots * kvDim * Float.BYTES;
    }

    long slotBytes() {
        return (long) kvDim * Float.BYTES;
    }
}
