package dev.hanul.engine.backend.cuda;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.AttentionOptions;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Set;

/**
 * The CUDA backend: weights uploaded once in their file format, activations and the paged KV cache in device memory,
 * every operation a kernel from gpu-engine/src/main/cuda queued on the default stream, so only {@link #read} waits.
 * Attention reads keys and values through the block tables, like the CPU backend.
 * <p>
 * Like the CPU backend it is driven by one thread at a time (the engine's step thread). The arrays of an
 * {@link AttentionBatch} are uploaded once per forward pass, recognized by the batch's identity: callers build a new
 * batch per pass, as the engine's ModelRunner does, instead of changing one in place.
 */
public final class CudaBackend implements Backend {

    /**
     * The architectures whose forward pass these kernels cover: the Llama block. The others need operations (biases,
     * NEOX RoPE, GeGLU, scaled or soft-capped attention) that exist on the CPU only so far, so
     * {@link dev.hanul.engine.backend.BackendSelector} keeps their models on the CPU.
     */
    public static final Set<String> ARCHITECTURES = java.util.Set.of("llama", "mistral");

    private static final int ROWS_PER_BLOCK = 4;       // matmul.cuh: MATMUL_ROWS_PER_BLOCK
    private static final int TOKENS_PER_BLOCK = 8;     // matmul.cuh: MATMUL_TOKENS
    private static final int NORM_THREADS = 128;       // layer_ops.cuh: NORM_THREADS
    private static final int ELEMENTWISE_THREADS = 256;
    private static final int MAX_HEAD_DIM = 256;       // attention.cuh: ATTENTION_MAX_HEAD_DIM
    private static final int GRAPH_CACHE = 64;         // batch shapes x block-table widths seen recently

    private final CudaContext context;
    private final CudaDriver driver;
    private final DevicePool pool;
    private final KernelModule kernels;
    private final HostStaging staging = new HostStaging();
    private final KernelArguments arguments;
    private final DeviceScratch tokenScratch;
    private final DeviceScratch batchScratch;
    private final DeviceScratch ropeScratch;
    private final MemorySegment stream;
    private final StepGraphs graphs;
    private AttentionBatch uploadedBatch;
    private long batchPositions;
    private long batchSlots;
    private long batchSequences;
    private long batchTables;
    private int tableStride;
    private int[] uploadedRopePositions;
    private long ropePositions;
    private float[] uploadedFrequencies;
    private long frequencies;
    private boolean closed;

    private CudaBackend(CudaContext context, KernelModule kernels, boolean useGraphs) {
        this.context = context;
        this.driver = context.driver();
        this.kernels = kernels;
        this.pool = new DevicePool(driver);
        this.arguments = new KernelArguments(driver, staging.arena());
        this.tokenScratch = new DeviceScratch(pool, "token ids");
        this.batchScratch = new DeviceScratch(pool, "the batch's positions, slots and block tables");
        this.ropeScratch = new DeviceScratch(pool, "RoPE positions and frequencies");
        this.stream = useGraphs ? driver.createStream() : MemorySegment.NULL;
        this.graphs = useGraphs ? new StepGraphs(driver, arguments, stream, GRAPH_CACHE) : null;
    }

    /**
     * Opens device 0 through {@code driver} and loads the kernels, running forward passes as CUDA graphs unless the
     * system property {@code hanul.cuda.graphs} is {@code false}; throws {@link CudaException} saying why when there
     * is no device or this build has no kernels.
     */
    public static CudaBackend open(CudaDriver driver) {
        return open(driver, !"false".equalsIgnoreCase(System.getProperty("hanul.cuda.graphs", "true")));
    }

    /** As {@link #open(CudaDriver)}, with CUDA graphs or with every kernel launched as the model asks for it. */
    public static CudaBackend open(CudaDriver driver, boolean useGraphs) {
        CudaContext context = CudaContext.open(driver);
        try {
            return new CudaBackend(context, KernelModule.load(driver), useGraphs);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Forward passes run as CUDA graphs: {instantiated, replayed}; zeros without graphs. */
    public int[] graphCounts() {
        return graphs == null ? new int[2] : new int[] {graphs.instantiated(), graphs.replayed()};
    }

    /** Whether this build carries compiled kernels. */
    public static boolean kernelsAvailable() {
        return KernelModule.available();
    }

    @Override
    public String name() {
        return "cuda (%s, compute capability %s, %.1f GiB)".formatted(context.deviceName(),
                context.computeCapability(), context.totalMemory() / (double) (1L << 30));
    }

    /** Bytes of device memory this backend holds now. */
    public long deviceBytes() {
        return pool.liveBytes();
    }

    /** Device allocations this backend holds now. */
    public int deviceAllocations() {
        return pool.liveAllocations();
    }

    /** {free, total} bytes of device memory, as the driver reports them. */
    public long[] deviceMemoryInfo() {
        context.makeCurrent();
        return driver.memoryInfo();
    }

    /** Waits for every queued kernel; errors of asynchronous launches surface here. */
    public void synchronize() {
        context.makeCurrent();
        issue();
        driver.synchronize();
    }

    @Override
    public Weights weights(GgufTensor tensor) {
        context.makeCurrent();
        kernelSuffix(tensor.type());
        long bytes = tensor.data().byteSize();
        long pointer = pool.allocate(bytes, "tensor " + tensor.name());
        driver.copyToDevice(pointer, tensor.data(), bytes);
        return new CudaWeights(tensor.type(), tensor.rows(), tensor.columns(), pointer, bytes);
    }

    @Override
    public Buffer vector(GgufTensor tensor) {
        context.makeCurrent();
        int length = Math.toIntExact(tensor.elementCount());
        CudaBuffer out = (CudaBuffer) allocate(length);
        if (tensor.type() == GgmlType.F32) {
            driver.copyToDevice(out.pointer(), tensor.data(), (long) length * Float.BYTES);
            return out;
        }
        // Dequantized on the device by the embedding kernel, as one row of the whole length.
        long raw = pool.allocate(tensor.data().byteSize(), "tensor " + tensor.name());
        driver.copyToDevice(raw, tensor.data(), tensor.data().byteSize());
        long token = uploadInts(tokenScratch, new int[] {0});
        issue();   // launched directly, not as a graph: it runs once per tensor, at load
        arguments.start().pointer(raw).pointer(token).pointer(out.pointer()).integer(length)
                .launch(function("embed_", tensor.type()), "embed", 1, 1, 32, MemorySegment.NULL);
        driver.synchronize();
        pool.free(raw);
        return out;
    }

    @Override
    public Buffer allocate(int floats) {
        context.makeCurrent();
        return new CudaBuffer(pool.allocate((long) floats * Float.BYTES, "activations"), floats);
    }

    @Override
    public KvStore allocateKv(int layers, int slots, int kvDim) {
        context.makeCurrent();
        long bytes = (long) layers * slots * kvDim * Float.BYTES;
        long keys = pool.allocate(bytes, "KV cache keys");
        long values = pool.allocate(bytes, "KV cache values");
        return new CudaKvStore(layers, slots, kvDim, keys, values);
    }

    @Override
    public void embed(Weights table, int[] tokens, Buffer out) {
        context.makeCurrent();
        CudaWeights w = (CudaWeights) table;
        long ids = uploadInts(tokenScratch, tokens);
        tokenScratch.use();
        run(arguments.start().pointer(w.pointer()).pointer(ids).pointer(pointer(out)).integer(w.columns()),
                function("embed_", w.type()), "embed", tokens.length, 1, 32);
    }

    @Override
    public void matmul(Weights w, Buffer x, Buffer out, int tokens) {
        context.makeCurrent();
        CudaWeights m = (CudaWeights) w;
        run(arguments.start().pointer(m.pointer()).pointer(pointer(x)).pointer(pointer(out)).integer(m.rows())
                        .integer(m.columns()).integer(tokens), function("matmul_", m.type()), "matmul",
                ceil(m.rows(), ROWS_PER_BLOCK), ceil(tokens, TOKENS_PER_BLOCK), 32 * ROWS_PER_BLOCK);
    }

    @Override
    public void rmsNorm(Buffer x, Buffer gain, Buffer out, int tokens, int width, float eps) {
        context.makeCurrent();
        run(arguments.start().pointer(pointer(x)).pointer(pointer(gain)).pointer(pointer(out)).integer(width)
                .real(eps), kernels.function("rms_norm"), "rms_norm", tokens, 1, NORM_THREADS);
    }

    @Override
    public void rope(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
                     float[] inverseFrequencies) {
        context.makeCurrent();
        long devicePositions;
        if (uploadedBatch != null && positions == uploadedBatch.positions()) {
            devicePositions = batchPositions;
            batchScratch.use();
        } else {
            if (positions != uploadedRopePositions) {
                ropePositions = uploadInts(ropeScratch, positions);
                uploadedRopePositions = positions;
            }
            devicePositions = ropePositions;
            ropeScratch.use();
        }
        long deviceFrequencies = frequencies(inverseFrequencies);
        run(arguments.start().pointer(pointer(x)).pointer(devicePositions).pointer(deviceFrequencies)
                .integer(heads).integer(headDim).integer(rotaryDim), kernels.function("rope"), "rope", tokens, 1, 64);
    }

    @Override
    public void storeKv(KvStore kv, int layer, Buffer k, Buffer v, AttentionBatch batch) {
        context.makeCurrent();
        CudaKvStore store = (CudaKvStore) kv;
        upload(batch);
        run(arguments.start().pointer(store.keys(layer)).pointer(store.values(layer)).pointer(pointer(k))
                .pointer(pointer(v)).pointer(batchSlots).integer(store.kvDim()), kernels.function("store_kv"),
                "store_kv", batch.tokens(), 1, 64);
    }

    @Override
    public void copySlots(KvStore kv, int from, int to, int count) {
        context.makeCurrent();
        CudaKvStore store = (CudaKvStore) kv;
        issue();   // issued at once, before the step's kernels: copies would make every step's graph different
        long bytes = count * store.slotBytes();
        for (int layer = 0; layer < store.layers(); layer++) {
            driver.copyOnDevice(store.keys(layer) + to * store.slotBytes(),
                    store.keys(layer) + from * store.slotBytes(), bytes);
            driver.copyOnDevice(store.values(layer) + to * store.slotBytes(),
                    store.values(layer) + from * store.slotBytes(), bytes);
        }
    }

    @Override
    public void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads,
                          int kvHeads, int headDim) {
        context.makeCurrent();
        if (headDim > MAX_HEAD_DIM) {
            throw new IllegalArgumentException("head dimension %d exceeds the CUDA attention kernel's %d"
                    .formatted(headDim, MAX_HEAD_DIM));
        }
        CudaKvStore store = (CudaKvStore) kv;
        upload(batch);
        run(arguments.start().pointer(pointer(q)).pointer(pointer(out)).pointer(store.keys(layer))
                        .pointer(store.values(layer)).pointer(batchPositions).pointer(batchSequences)
                        .pointer(batchTables).integer(tableStride).integer(batch.blockSize()).integer(heads)
                        .integer(kvHeads).integer(headDim).real((float) (1.0 / Math.sqrt(headDim))),
                kernels.function("paged_attention"), "paged_attention", heads, batch.tokens(), 32);
    }

    @Override
    public void swiglu(Buffer gate, Buffer up, int count) {
        context.makeCurrent();
        run(arguments.start().pointer(pointer(gate)).pointer(pointer(up)).integer(count),
                kernels.function("swiglu"), "swiglu", ceil(count, ELEMENTWISE_THREADS), 1, ELEMENTWISE_THREADS);
    }

    @Override
    public void add(Buffer into, Buffer x, int count) {
        context.makeCurrent();
        run(arguments.start().pointer(pointer(into)).pointer(pointer(x)).integer(count), kernels.function("add"),
                "add", ceil(count, ELEMENTWISE_THREADS), 1, ELEMENTWISE_THREADS);
    }

    @Override
    public void copyRow(Buffer from, int row, Buffer to, int toRow, int width) {
        context.makeCurrent();
        long target = ((CudaBuffer) to).at((long) toRow * width);
        long source = ((CudaBuffer) from).at((long) row * width);
        if (graphs != null) {
            graphs.copy(target, source, (long) width * Float.BYTES);
        } else {
            driver.copyOnDevice(target, source, (long) width * Float.BYTES);
        }
    }

    @Override
    public void read(Buffer from, float[] into, int count) {
        context.makeCurrent();
        issue();
        if (graphs != null) {
            driver.synchronizeStream(stream);
        }
        MemorySegment host = staging.of((long) count * Float.BYTES);
        driver.copyToHost(host, pointer(from), (long) count * Float.BYTES);   // waits for the queued kernels
        MemorySegment.copy(host, ValueLayout.JAVA_FLOAT, 0, into, 0, count);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.makeCurrent();
        try {
            synchronize();
        } finally {
            if (graphs != null) {
                graphs.close();
                driver.destroyStream(stream);
            }
            pool.close();
            kernels.close();
            staging.close();
            context.close();
        }
    }

    /** Queues a kernel with the arguments set in {@link #arguments}: recorded for the pass's graph, or launched. */
    private void run(KernelArguments args, MemorySegment function, String name, int gridX, int gridY, int blockX) {
        if (gridX == 0 || gridY == 0) {
            return;   // no rows: a step in which no sequence samples has no logits to compute; CUDA rejects empty grids
        }
        if (graphs != null) {
            graphs.kernel(function, name, gridX, gridY, blockX);
        } else {
            args.launch(function, name, gridX, gridY, blockX, MemorySegment.NULL);
        }
    }

    /** Issues the recorded work (as a graph), after which the scratch areas it read may be written again. */
    private void issue() {
        if (graphs != null) {
            graphs.flush();
        }
        tokenScratch.issued();
        batchScratch.issued();
        ropeScratch.issued();
    }

    /** Uploads a batch's positions, slots, sequence indices and block tables once, for all the layers. */
    private void upload(AttentionBatch batch) {
        if (batch == uploadedBatch) {
            batchScratch.use();
            return;
        }
        int n = batch.tokens();
        int stride = 1;
        for (int[] table : batch.blockTables()) {
            stride = Math.max(stride, table.length);
        }
        int[] tables = new int[batch.blockTables().length * stride];
        for (int s = 0; s < batch.blockTables().length; s++) {
            System.arraycopy(batch.blockTables()[s], 0, tables, s * stride, batch.blockTables()[s].length);
        }
        long base = uploadInts(batchScratch, batch.positions(), batch.slots(), batch.sequenceOf(), tables);
        batchPositions = base;
        batchSlots = base + (long) n * Integer.BYTES;
        batchSequences = base + 2L * n * Integer.BYTES;
        batchTables = base + 3L * n * Integer.BYTES;
        tableStride = stride;
        uploadedBatch = batch;
        batchScratch.use();
    }

    private long frequencies(float[] inverseFrequencies) {
        if (inverseFrequencies != uploadedFrequencies) {
            MemorySegment host = staging.of((long) inverseFrequencies.length * Float.BYTES);
            MemorySegment.copy(inverseFrequencies, 0, host, ValueLayout.JAVA_FLOAT, 0, inverseFrequencies.length);
            if (frequencies != 0) {
                issue();   // recorded RoPE launches may read the old frequencies
                pool.free(frequencies);
            }
            frequencies = pool.allocate((long) inverseFrequencies.length * Float.BYTES, "RoPE frequencies");
            driver.copyToDevice(frequencies, host, (long) inverseFrequencies.length * Float.BYTES);
            uploadedFrequencies = inverseFrequencies;
        }
        return frequencies;
    }

    private long uploadInts(DeviceScratch scratch, int[]... arrays) {
        if (scratch.inUse()) {
            issue();   // recorded work still has to read what is there now
        }
        MemorySegment host = staging.ints(arrays);
        long bytes = 0;
        for (int[] a : arrays) {
            bytes += (long) a.length * Integer.BYTES;
        }
        long device = scratch.reserve(Math.max(bytes, Integer.BYTES));
        if (bytes > 0) {
            driver.copyToDevice(device, host, bytes);
        }
        return device;
    }

    private MemorySegment function(String prefix, GgmlType type) {
        return kernels.function(prefix + kernelSuffix(type));
    }

    /** The kernel name suffix of a weight format, or a clear error for one the kernels do not implement. */
    private static String kernelSuffix(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K -> type.name().toLowerCase(Locale.ROOT);
            default -> throw new IllegalArgumentException("the CUDA backend has no kernels for weight type " + type
                    + " (it has F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K)");
        };
    }

    private static long pointer(Buffer buffer) {
        return ((CudaBuffer) buffer).pointer();
    }

    @Override
    public void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads, int kvHeads,
            int headDim, AttentionOptions options) {
        throw notYet("attention with a score scale, soft cap or window");
    }

    @Override
    public void ropeNeox(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
            float[] inverseFrequencies, float magnitude) {
        throw notYet("NEOX RoPE");
    }

    @Override
    public void addBias(Buffer x, Buffer bias, int tokens, int width) {
        throw notYet("bias addition");
    }

    @Override
    public void scale(Buffer x, float factor, int count) {
        throw notYet("scaling");
    }

    @Override
    public void geglu(Buffer gate, Buffer up, int count) {
        throw notYet("GeGLU");
    }

    /** Unreachable through the selector, which keeps models that need these on the CPU ({@link #ARCHITECTURES}). */
    private static UnsupportedOperationException notYet(String operation) {
        return new UnsupportedOperationException("The CUDA backend has no kernel for " + operation + " yet; it runs "
                + ARCHITECTURES + " models only, and the backend selector keeps the others on the CPU.");
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
