package dev.hanul.engine.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for data-parallel loops. A forward pass runs hundreds of small loops per token, so handing
 * work to a pool (tens of microseconds each) would cost more than the loops: team members spin briefly waiting for the
 * next loop, then park, and the calling thread works as one of them.
 *
 * <p>A loop is split into chunks that members claim one at a time, and the caller waits only for claimed chunks to
 * finish, never for a member to wake up: on a machine busy with other processes a descheduled member costs at most
 * the chunk it holds, and the caller simply does the rest itself.
 */
final class ThreadTeam implements AutoCloseable {

    /** The body of a parallel loop over {@code [start, end)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int start, int end);
    }

    private static final int SPINS_BEFORE_PARK = 1 << 14;
    private static final int SPINS_BEFORE_YIELD = 1 << 10;

    /** One loop: immutable but for its two counters, so a member that wakes late can only find it finished. */
    private record Loop(RangeBody body, int length, int chunkSize, int chunks, AtomicInteger next,
                        AtomicInteger done) {

        void work() {
            for (int chunk; (chunk = next.getAndIncrement()) < chunks; ) {
                int start = chunk * chunkSize;
                try {
                    body.run(start, Math.min(length, start + chunkSize));
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    private final Thread[] workers;
    private volatile Loop current;
    /** Loops split into more than one chunk: each is a fork and a join when the team has more than one thread. */
    private long regions;
    private volatile boolean closed;

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

    /** Parallel regions run so far (loops split into more than one chunk); read by the thread that runs loops. */
    long regions() {
        return regions;
    }

    /**
     * Runs {@code body} over {@code [0, length)} split into chunks of at least {@code grain}, on all team members,
     * and returns when every chunk is done. Not reentrant: one loop at a time (the engine's step thread).
     */
    void forRange(int length, int grain, RangeBody body) {
        int chunks = Math.max(1, Math.min(length / Math.max(1, grain), threads() * 4));
        if (chunks > 1) {
            regions++;
        }
        if (workers.length == 0 || chunks == 1) {
            body.run(0, length);
            return;
        }
        Loop loop = new Loop(body, length, (length + chunks - 1) / chunks, chunks, new AtomicInteger(),
                new AtomicInteger());
        current = loop;
        for (Thread worker : workers) {
            LockSupport.unpark(worker); // a permit for a worker that is not parked yet costs nothing
        }
        loop.work();
        for (int spins = 0; loop.done().get() < chunks; spins++) {
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the member holding the last chunk may need this core
            }
        }
    }

    private void workLoop() {
        Loop seen = null;
        while (!closed) {
            Loop loop = current;
            if (loop != seen) {
                seen = loop;
                loop.work();
                continue;
            }
            for (int spins = 0; current == seen && !closed; spins++) {
                if (spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
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
