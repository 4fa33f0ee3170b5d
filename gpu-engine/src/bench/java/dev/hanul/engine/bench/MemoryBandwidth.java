package dev.hanul.engine.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's memory read bandwidth, measured the way decoding uses memory: threads stream through a buffer much
 * larger than the caches and sum it with vector loads. The best of several passes is reported.
 */
public final class MemoryBandwidth {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {
    }

    /** Read bandwidth in bytes per second with {@code threads} threads over {@code bytes} of memory. */
    public static double measure(int threads, long bytes, int passes) throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            long slice = bytes / threads / F.vectorByteSize() * F.vectorByteSize();
            double best = 0;
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                List<Future<Float>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MemorySegment part = buffer.asSlice(t * slice, slice);
                    parts.add(pool.submit(() -> sum(part)));
                }
                float checksum = 0;
                for (Future<Float> part : parts) {
                    checksum += part.get();
                }
                long elapsed = System.nanoTime() - start;
                if (checksum != 0) { // always true; keeps the reads from being optimized away
                    best = Math.max(best, slice * threads / (elapsed / 1e9));
                }
            }
            return best;
        }
    }

    private static float sum(MemorySegment segment) {
        FloatVector a = FloatVector.zero(F);
        FloatVector b = FloatVector.zero(F);
        long step = F.vectorByteSize();
        long end = segment.byteSize() - 2 * step;
        for (long offset = 0; offset <= end; offset += 2 * step) {
            a = a.add(FloatVector.fromMemorySegment(F, segment, offset, ByteOrder.LITTLE_ENDIAN));
            b = b.add(FloatVector.fromMemorySegment(F, segment, offset + step, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).reduceLanes(VectorOperators.ADD);
    }
}
