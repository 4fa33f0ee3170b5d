package dev.hanul.engine.backend.cuda;

/** A device area for per-call data (token ids, positions, block tables) that grows when a call needs more. */
final class DeviceScratch {

    private final DevicePool pool;
    private final String purpose;
    private long pointer;
    private long bytes;
    private boolean inUse;

    DeviceScratch(DevicePool pool, String purpose) {
        this.pool = pool;
        this.purpose = purpose;
    }

    /** Marks that recorded, not yet issued work reads this area (see {@link StepGraphs}). */
    void use() {
        inUse = true;
    }

    /** Whether recorded work reads this area, so writing it must wait until that work is issued. */
    boolean inUse() {
        return inUse;
    }

    void issued() {
        inUse = false;
    }

    /** At least {@code needed} bytes; earlier contents are lost when it grows. */
    long reserve(long needed) {
        if (needed > bytes) {
            if (bytes > 0) {
                pool.free(pointer);
            }
            bytes = Math.max(needed, 2 * bytes);
            pointer = pool.allocate(bytes, purpose);
        }
        return pointer;
    }
}
