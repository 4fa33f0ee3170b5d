package dev.hanul.engine.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CUDA graphs for forward passes. While a pass runs, its kernel launches and device copies are recorded instead of
 * issued, as words: the function, grid, block and every argument. When the pass's result is read, a pass with the
 * same words seen before replays its instantiated graph (one launch instead of hundreds); a new one is captured on
 * the stream, instantiated and kept. Decode steps of a running batch repeat their words (token ids, positions and
 * block tables are device data at fixed addresses, uploaded before the replay), so most steps replay.
 */
final class StepGraphs implements AutoCloseable {

    private static final long KERNEL = 1;
    private static final long COPY = 2;

    private final CudaDriver driver;
    private final KernelArguments arguments;
    private final MemorySegment stream;
    private final int capacity;
    private final List<MemorySegment> functions = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<Signature, MemorySegment> graphs;
    private long[] words = new long[4096];
    private int length;
    private int instantiated;
    private int replayed;

    StepGraphs(CudaDriver driver, KernelArguments arguments, MemorySegment stream, int capacity) {
        this.driver = driver;
        this.arguments = arguments;
        this.stream = stream;
        this.capacity = capacity;
        this.graphs = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** Records the kernel whose arguments {@code arguments} holds now. */
    void kernel(MemorySegment function, String name, int gridX, int gridY, int blockX) {
        int n = arguments.count();
        reserve(6 + n);
        int index = functions.size();
        functions.add(function);
        names.add(name);
        words[length++] = KERNEL;
        words[length++] = index;
        words[length++] = function.address();
        words[length++] = ((long) gridX << 32) | (gridY & 0xFFFFFFFFL);
        words[length++] = blockX;
        words[length++] = n;
        for (int i = 0; i < n; i++) {
            words[length++] = arguments.word(i);
        }
    }

    void copy(long to, long from, long bytes) {
        reserve(4);
        words[length++] = COPY;
        words[length++] = to;
        words[length++] = from;
        words[length++] = bytes;
    }

    boolean pending() {
        return length > 0;
    }

    /** Queues what was recorded on the stream, as a graph; the recording starts over. */
    void flush() {
        if (length == 0) {
            return;
        }
        Signature signature = new Signature(Arrays.copyOf(words, length));
        MemorySegment graph = graphs.get(signature);
        if (graph == null) {
            graph = capture();
            graphs.put(signature, graph);
            instantiated++;
            if (graphs.size() > capacity) {
                var eldest = graphs.entrySet().iterator().next();
                driver.destroyGraph(eldest.getValue());
                graphs.remove(eldest.getKey());
            }
        } else {
            replayed++;
        }
        driver.launchGraph(graph, stream);
        length = 0;
        functions.clear();
        names.clear();
    }

    private MemorySegment capture() {
        driver.beginCapture(stream);
        try {
            for (int i = 0; i < length; ) {
                if (words[i] == KERNEL) {
                    int index = (int) words[i + 1];
                    int n = (int) words[i + 5];
                    arguments.words(words, i + 6, n).launch(functions.get(index), names.get(index),
                            (int) (words[i + 3] >>> 32), (int) words[i + 3], (int) words[i + 4], stream);
                    i += 6 + n;
                } else {
                    driver.copyOnDeviceAsync(words[i + 1], words[i + 2], words[i + 3], stream);
                    i += 4;
                }
            }
        } catch (RuntimeException e) {
            try {
                driver.destroyGraph(driver.endCaptureAndInstantiate(stream));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return driver.endCaptureAndInstantiate(stream);
    }

    private void reserve(int more) {
        if (length + more > words.length) {
            words = Arrays.copyOf(words, Math.max(length + more, 2 * words.length));
        }
    }

    /** Graphs captured and instantiated so far. */
    int instantiated() {
        return instantiated;
    }

    /** Passes that replayed a graph captured before. */
    int replayed() {
        return replayed;
    }

    @Override
    public void close() {
        for (MemorySegment graph : graphs.values()) {
            driver.destroyGraph(graph);
        }
        graphs.clear();
    }

    private record Signature(long[] words) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature other && Arrays.equals(words, other.words);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(words);
        }
    }
}
