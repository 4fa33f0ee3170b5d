package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.backend.KvStore;

/** The KV pool on the heap: per layer, one array of keys and one of values, {@code slots x kvDim} each. */
record CpuKvStore(float[][] keys, float[][] values, int slots, int kvDim) implements KvStore {

    static CpuKvStore allocate(int layers, int slots, int kvDim) {
        long perLayer = (long) slots * kvDim;
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "KV cache of %d slots x %d floats per layer exceeds one Java array; lower the KV memory budget"
                            .formatted(slots, kvDim));
        }
        float[][] keys = new float[layers][];
        float[][] values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = new float[(int) perLayer];
            values[l] = new float[(int) perLayer];
        }
        return new CpuKvStore(keys, values, slots, kvDim);
    }

    @Override
    public int layers() {
        return keys.length;
    }
}
