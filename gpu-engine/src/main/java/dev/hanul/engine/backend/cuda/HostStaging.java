package dev.hanul.engine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Native host memory that Java arrays pass through on their way to and from the device; grows as needed. */
final class HostStaging implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private MemorySegment segment = arena.allocate(4096, 64);

    MemorySegment of(long bytes) {
        if (segment.byteSize() < bytes) {
            segment = arena.allocate(Math.max(bytes, 2 * segment.byteSize()), 64);
        }
        return segment;
    }

    /** The ints, laid out one after another from offset 0. */
    MemorySegment ints(int[]... arrays) {
        long total = 0;
        for (int[] a : arrays) {
            total += a.length;
        }
        MemorySegment s = of(total * Integer.BYTES);
        long offset = 0;
        for (int[] a : arrays) {
            MemorySegment.copy(a, 0, s, ValueLayout.JAVA_INT, offset, a.length);
            offset += (long) a.length * Integer.BYTES;
        }
        return s;
    }

    Arena arena() {
        return arena;
    }

    @Override
    public void close() {
        arena.close();
    }
}
