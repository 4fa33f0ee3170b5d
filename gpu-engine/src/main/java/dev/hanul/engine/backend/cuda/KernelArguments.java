package dev.hanul.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * cuLaunchKernel's argument array, reused for every launch: one 8-byte slot per argument and an array of pointers
 * to the slots. The driver copies the values when the kernel is queued, so the next launch may overwrite them.
 */
final class KernelArguments {

    private static final int MAX = 16;

    private final CudaDriver driver;
    private final MemorySegment values;
    private final MemorySegment pointers;
    private int count;

    KernelArguments(CudaDriver driver, Arena arena) {
        this.driver = driver;
        this.values = arena.allocate(8L * MAX, 8);
        this.pointers = arena.allocate(ADDRESS, MAX);
        for (int i = 0; i < MAX; i++) {
            pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
        }
    }

    KernelArguments start() {
        count = 0;
        return this;
    }

    /** A device pointer argument. */
    KernelArguments pointer(long address) {
        values.set(JAVA_LONG, 8L * next(), address);
        return this;
    }

    KernelArguments integer(int value) {
        int slot = next();
        values.set(JAVA_LONG, 8L * slot, 0L);   // the whole slot defined, so two launches compare by their words
        values.set(JAVA_INT, 8L * slot, value);
        return this;
    }

    KernelArguments real(float value) {
        int slot = next();
        values.set(JAVA_LONG, 8L * slot, 0L);
        values.set(JAVA_FLOAT, 8L * slot, value);
        return this;
    }

    int count() {
        return count;
    }

    /** Argument {@code i}'s 8-byte slot. */
    long word(int i) {
        return values.get(JAVA_LONG, 8L * i);
    }

    /** Refills the slots from words taken by {@link #word}. */
    KernelArguments words(long[] words, int from, int n) {
        start();
        for (int i = 0; i < n; i++) {
            values.set(JAVA_LONG, 8L * next(), words[from + i]);
        }
        return this;
    }

    private int next() {
        if (count == MAX) {
            throw new IllegalStateException("more than " + MAX + " kernel arguments");
        }
        return count++;
    }

    void launch(MemorySegment function, String name, int gridX, int gridY, int blockX, MemorySegment stream) {
        driver.launch(function, gridX, gridY, 1, blockX, pointers, name, stream);
    }
}
