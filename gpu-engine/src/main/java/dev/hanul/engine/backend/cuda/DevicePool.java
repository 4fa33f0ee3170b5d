package dev.hanul.engine.backend.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backend's device memory: every allocation goes through here and is recorded, so closing the backend frees all
 * of it (weights, activations, the KV cache, scratch) and a test can check that nothing is left. The model's buffers
 * live as long as the model, so there is no per-buffer free on the hot path, only the scratch areas that grow.
 */
final class DevicePool implements AutoCloseable {

    private final CudaDriver driver;
    private final Map<Long, Long> live = new LinkedHashMap<>();
    private long liveBytes;

    DevicePool(CudaDriver driver) {
        this.driver = driver;
    }

    /** {@code bytes} of device memory, zeroed. */
    long allocate(long bytes, String purpose) {
        long pointer;
        try {
            pointer = driver.allocate(Math.max(bytes, 1));
        } catch (CudaException e) {
            throw new CudaException("%s: cannot allocate %,d bytes for %s (%,d bytes already held by this backend)"
                    .formatted(e.getMessage(), bytes, purpose, liveBytes), e);
        }
        live.put(pointer, bytes);
        liveBytes += bytes;
        driver.zero(pointer, Math.max(bytes, 1));
        return pointer;
    }

    void free(long pointer) {
        Long bytes = live.remove(pointer);
        if (bytes == null) {
            throw new IllegalArgumentException("0x%x is not an allocation of this pool".formatted(pointer));
        }
        liveBytes -= bytes;
        driver.free(pointer);
    }

    long liveBytes() {
        return liveBytes;
    }

    int liveAllocations() {
        return live.size();
    }

    @Override
    public void close() {
        for (long pointer : live.keySet().toArray(Long[]::new)) {
            free(pointer);
        }
    }
}
