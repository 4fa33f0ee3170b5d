package dev.hanul.engine.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for data-parallel loops. A forward pass runs hundreds of small loops per token, so handing
 * work to a pool (tens of microseconds each) would cost more than the loops: team members spin briefly waiting for the
 * next loop, then park, and the calling thread works as one of them.
 */
final class ThreadTeam implements AutoCloseable {

    /** The body of a parallel loop over {@code [start, end)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }

    private static final int SPINS_BEFORE_PARK = 1 << 16;

    private final Thread[] workers;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger busyWorkers = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private RangeBody body;
    private int length;
    private int chunkSize;
    private int chunks;

    ThreadTeam(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("hanul-cpu-" + (i + 1)).start(this::workLoop);
        }
    }

    int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code body} over {@code [0, length)} split into chunks of at least {@code grain}, on all team members,
     * and returns when every chunk is done. Not reentrant: one loop at a time (the engine's step thread).
     */
    void forRange(int length, int grain, RangeBody body) {
        int wanted = Math.max(1, Math.min(length / Math.max(1, grain), threads() * 4));
        if (workers.length == 0 || wanted == 1) {
            body.run(0, length);
            return;
        }
        this.body = body;
        this.length = length;
        this.chunks = wanted;
        this.chunkSize = (length + wanted - 1) / wanted;
        nextChunk.set(0);
        busyWorkers.set(workers.length);
        generation++; // volatile write publishes the fields above
        for (Thread worker : workers) {
            LockSupport.unpark(worker); // a permit for a worker that is not parked yet costs nothing
        }
        runChunks();
        while (busyWorkers.get() != 0) {
            Thread.onSpinWait();
        }
        this.body = null;
    }

    private void runChunks() {
        for (int chunk; (chunk = nextChunk.getAndIncrement()) < chunks; ) {
            int start = chunk * chunkSize;
            int end = Math.min(length, start + chunkSize);
            if (start < end) {
                body.run(start, end);
            }
        }
    }

    private void workLoop() {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runChunks();
            } finally {
                busyWorkers.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
    }
}
