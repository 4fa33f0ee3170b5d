package dev.hanul.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CUDA driver API (libcuda.so.1) through Java's foreign function API: the two dozen functions the backend uses,
 * bound by their exported names (the {@code _v2} ones where the driver versioned them). No JNI library and no
 * dependency: the same calls reach NVIDIA's driver on a GPU machine and the stand-in driver in tests.
 * <p>
 * The library is {@code libcuda.so.1} from the system's library path, or the file named by the system property
 * {@code hanul.cuda.driver} (or the environment variable {@code HANUL_CUDA_DRIVER}).
 */
public final class CudaDriver {

    static final int ATTRIBUTE_MULTIPROCESSORS = 16;
    static final int ATTRIBUTE_COMPUTE_MAJOR = 75;
    static final int ATTRIBUTE_COMPUTE_MINOR = 76;

    private static final Linker LINKER = Linker.nativeLinker();

    private final String library;
    private final SymbolLookup symbols;
    private final MethodHandle cuInit;
    private final MethodHandle cuDriverGetVersion;
    private final MethodHandle cuDeviceGetCount;
    private final MethodHandle cuDeviceGet;
    private final MethodHandle cuDeviceGetName;
    private final MethodHandle cuDeviceGetAttribute;
    private final MethodHandle cuDeviceTotalMem;
    private final MethodHandle cuDevicePrimaryCtxRetain;
    private final MethodHandle cuDevicePrimaryCtxRelease;
    private final MethodHandle cuCtxSetCurrent;
    private final MethodHandle cuCtxSynchronize;
    private final MethodHandle cuModuleLoadData;
    private final MethodHandle cuModuleUnload;
    private final MethodHandle cuModuleGetFunction;
    private final MethodHandle cuMemAlloc;
    private final MethodHandle cuMemFree;
    private final MethodHandle cuMemGetInfo;
    private final MethodHandle cuMemcpyHtoD;
    private final MethodHandle cuMemcpyDtoH;
    private final MethodHandle cuMemcpyDtoD;
    private final MethodHandle cuMemsetD8;
    private final MethodHandle cuLaunchKernel;
    private final MethodHandle cuMemcpyDtoDAsync;
    private final MethodHandle cuStreamCreate;
    private final MethodHandle cuStreamDestroy;
    private final MethodHandle cuStreamSynchronize;
    private final MethodHandle cuStreamBeginCapture;
    private final MethodHandle cuStreamEndCapture;
    private final MethodHandle cuGraphInstantiateWithFlags;
    private final MethodHandle cuGraphLaunch;
    private final MethodHandle cuGraphExecDestroy;
    private final MethodHandle cuGraphDestroy;
    private final MethodHandle cuEventCreate;
    private final MethodHandle cuEventDestroy;
    private final MethodHandle cuEventRecord;
    private final MethodHandle cuEventSynchronize;
    private final MethodHandle cuEventElapsedTime;
    private final MethodHandle cuGetErrorName;

    private CudaDriver(String library, SymbolLookup symbols) {
        this.library = library;
        this.symbols = symbols;
        cuGetErrorName = bind("cuGetErrorName", JAVA_INT, ADDRESS);
        cuInit = bind("cuInit", JAVA_INT);
        cuDriverGetVersion = bind("cuDriverGetVersion", ADDRESS);
        cuDeviceGetCount = bind("cuDeviceGetCount", ADDRESS);
        cuDeviceGet = bind("cuDeviceGet", ADDRESS, JAVA_INT);
        cuDeviceGetName = bind("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceGetAttribute = bind("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        cuDeviceTotalMem = bind("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        cuDevicePrimaryCtxRetain = bind("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        cuDevicePrimaryCtxRelease = bind("cuDevicePrimaryCtxRelease_v2", JAVA_INT);
        cuCtxSetCurrent = bind("cuCtxSetCurrent", ADDRESS);
        cuCtxSynchronize = bind("cuCtxSynchronize");
        cuModuleLoadData = bind("cuModuleLoadData", ADDRESS, ADDRESS);
        cuModuleUnload = bind("cuModuleUnload", ADDRESS);
        cuModuleGetFunction = bind("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        cuMemAlloc = bind("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        cuMemFree = bind("cuMemFree_v2", JAVA_LONG);
        cuMemGetInfo = bind("cuMemGetInfo_v2", ADDRESS, ADDRESS);
        cuMemcpyHtoD = bind("cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        cuMemcpyDtoH = bind("cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        cuMemcpyDtoD = bind("cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        cuMemsetD8 = bind("cuMemsetD8_v2", JAVA_LONG, JAVA_BYTE, JAVA_LONG);
        cuLaunchKernel = bind("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        cuMemcpyDtoDAsync = bind("cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
        cuStreamCreate = bind("cuStreamCreate", ADDRESS, JAVA_INT);
        cuStreamDestroy = bind("cuStreamDestroy_v2", ADDRESS);
        cuStreamSynchronize = bind("cuStreamSynchronize", ADDRESS);
        cuStreamBeginCapture = bind("cuStreamBeginCapture_v2", ADDRESS, JAVA_INT);
        cuStreamEndCapture = bind("cuStreamEndCapture", ADDRESS, ADDRESS);
        cuGraphInstantiateWithFlags = bind("cuGraphInstantiateWithFlags", ADDRESS, ADDRESS, JAVA_LONG);
        cuGraphLaunch = bind("cuGraphLaunch", ADDRESS, ADDRESS);
        cuGraphExecDestroy = bind("cuGraphExecDestroy", ADDRESS);
        cuGraphDestroy = bind("cuGraphDestroy", ADDRESS);
        cuEventCreate = bind("cuEventCreate", ADDRESS, JAVA_INT);
        cuEventDestroy = bind("cuEventDestroy_v2", ADDRESS);
        cuEventRecord = bind("cuEventRecord", ADDRESS, ADDRESS);
        cuEventSynchronize = bind("cuEventSynchronize", ADDRESS);
        cuEventElapsedTime = bind("cuEventElapsedTime", ADDRESS, ADDRESS, ADDRESS);
    }

    /**
     * Opens the driver library; throws {@link CudaException} saying which file was looked for when it cannot be
     * opened. The library stays loaded for the life of the JVM, as libcuda expects.
     */
    public static CudaDriver load() {
        String configured = System.getProperty("hanul.cuda.driver", System.getenv("HANUL_CUDA_DRIVER"));
        return load(configured != null && !configured.isBlank() ? configured : "libcuda.so.1");
    }

    /** Opens the driver library {@code library}: a file path, or a name the system's library path resolves. */
    public static CudaDriver load(String library) {
        try {
            SymbolLookup symbols = library.contains("/")
                    ? SymbolLookup.libraryLookup(requireFile(Path.of(library)), Arena.global())
                    : SymbolLookup.libraryLookup(library, Arena.global());
            return new CudaDriver(library, symbols);
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new CudaException("the CUDA driver library " + library + " could not be loaded (" + e.getMessage()
                    + "); install the NVIDIA driver, or set hanul.cuda.driver / HANUL_CUDA_DRIVER to its path");
        }
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file");
        }
        return path;
    }

    public String library() {
        return library;
    }

    private MethodHandle bind(String name, MemoryLayout... arguments) {
        MemorySegment address = symbols.find(name).orElseThrow(() -> new CudaException(
                "the CUDA driver " + library + " has no function " + name + "; a driver for CUDA 12 or newer is needed"));
        return LINKER.downcallHandle(address, FunctionDescriptor.of(JAVA_INT, arguments));
    }

    void check(int result, String call) {
        if (result == 0) {
            return;
        }
        String name = "CUresult " + result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ADDRESS);
            if ((int) cuGetErrorName.invokeExact(result, text) == 0) {
                name = text.get(ADDRESS, 0).reinterpret(128).getString(0);
            }
        } catch (Throwable ignored) {
            // the number alone still says what failed
        }
        throw new CudaException(call + " failed: " + name);
    }

    private static CudaException wrap(Throwable t, String call) {
        return t instanceof CudaException c ? c : new CudaException(call + " could not be called: " + t, t);
    }

    void init() {
        try {
            check((int) cuInit.invokeExact(0), "cuInit");
        } catch (Throwable t) {
            throw wrap(t, "cuInit");
        }
    }

    int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check((int) cuDriverGetVersion.invokeExact(v), "cuDriverGetVersion");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDriverGetVersion");
        }
    }

    int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check((int) cuDeviceGetCount.invokeExact(v), "cuDeviceGetCount");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDeviceGetCount");
        }
    }

    int device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check((int) cuDeviceGet.invokeExact(v, ordinal), "cuDeviceGet");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDeviceGet");
        }
    }

    String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            check((int) cuDeviceGetName.invokeExact(name, 256, device), "cuDeviceGetName");
            return name.getString(0);
        } catch (Throwable t) {
            throw wrap(t, "cuDeviceGetName");
        }
    }

    int attribute(int attribute, int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_INT);
            check((int) cuDeviceGetAttribute.invokeExact(v, attribute, device), "cuDeviceGetAttribute");
            return v.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDeviceGetAttribute");
        }
    }

    long totalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_LONG);
            check((int) cuDeviceTotalMem.invokeExact(v, device), "cuDeviceTotalMem");
            return v.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDeviceTotalMem");
        }
    }

    MemorySegment retainPrimaryContext(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            check((int) cuDevicePrimaryCtxRetain.invokeExact(v, device), "cuDevicePrimaryCtxRetain");
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuDevicePrimaryCtxRetain");
        }
    }

    void releasePrimaryContext(int device) {
        try {
            check((int) cuDevicePrimaryCtxRelease.invokeExact(device), "cuDevicePrimaryCtxRelease");
        } catch (Throwable t) {
            throw wrap(t, "cuDevicePrimaryCtxRelease");
        }
    }

    void setCurrent(MemorySegment context) {
        try {
            check((int) cuCtxSetCurrent.invokeExact(context), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw wrap(t, "cuCtxSetCurrent");
        }
    }

    /** Waits for all work queued on the context; an error from an earlier asynchronous launch surfaces here. */
    void synchronize() {
        try {
            check((int) cuCtxSynchronize.invokeExact(), "cuCtxSynchronize");
        } catch (Throwable t) {
            throw wrap(t, "cuCtxSynchronize");
        }
    }

    MemorySegment loadModule(MemorySegment image) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            check((int) cuModuleLoadData.invokeExact(v, image), "cuModuleLoadData");
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuModuleLoadData");
        }
    }

    void unloadModule(MemorySegment module) {
        try {
            check((int) cuModuleUnload.invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw wrap(t, "cuModuleUnload");
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            check((int) cuModuleGetFunction.invokeExact(v, module, arena.allocateFrom(name)),
                    "cuModuleGetFunction(" + name + ")");
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuModuleGetFunction(" + name + ")");
        }
    }

    long allocate(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(JAVA_LONG);
            check((int) cuMemAlloc.invokeExact(v, bytes), "cuMemAlloc(" + bytes + " bytes)");
            return v.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuMemAlloc");
        }
    }

    void free(long pointer) {
        try {
            check((int) cuMemFree.invokeExact(pointer), "cuMemFree");
        } catch (Throwable t) {
            throw wrap(t, "cuMemFree");
        }
    }

    /** {free, total} bytes of device memory. */
    long[] memoryInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(JAVA_LONG);
            MemorySegment total = arena.allocate(JAVA_LONG);
            check((int) cuMemGetInfo.invokeExact(free, total), "cuMemGetInfo");
            return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw wrap(t, "cuMemGetInfo");
        }
    }

    void copyToDevice(long to, MemorySegment from, long bytes) {
        try {
            check((int) cuMemcpyHtoD.invokeExact(to, from, bytes), "cuMemcpyHtoD");
        } catch (Throwable t) {
            throw wrap(t, "cuMemcpyHtoD");
        }
    }

    void copyToHost(MemorySegment to, long from, long bytes) {
        try {
            check((int) cuMemcpyDtoH.invokeExact(to, from, bytes), "cuMemcpyDtoH");
        } catch (Throwable t) {
            throw wrap(t, "cuMemcpyDtoH");
        }
    }

    void copyOnDevice(long to, long from, long bytes) {
        try {
            check((int) cuMemcpyDtoD.invokeExact(to, from, bytes), "cuMemcpyDtoD");
        } catch (Throwable t) {
            throw wrap(t, "cuMemcpyDtoD");
        }
    }

    void zero(long pointer, long bytes) {
        try {
            check((int) cuMemsetD8.invokeExact(pointer, (byte) 0, bytes), "cuMemsetD8");
        } catch (Throwable t) {
            throw wrap(t, "cuMemsetD8");
        }
    }

    /**
     * Queues a kernel on {@code stream} (NULL: the default stream); {@code parameters} points at one pointer per
     * kernel argument.
     */
    void launch(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, MemorySegment parameters,
                String name, MemorySegment stream) {
        try {
            check((int) cuLaunchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, 1, 1, 0,
                    stream, parameters, MemorySegment.NULL), "cuLaunchKernel(" + name + ")");
        } catch (Throwable t) {
            throw wrap(t, "cuLaunchKernel(" + name + ")");
        }
    }

    void copyOnDeviceAsync(long to, long from, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyDtoDAsync.invokeExact(to, from, bytes, stream), "cuMemcpyDtoDAsync");
        } catch (Throwable t) {
            throw wrap(t, "cuMemcpyDtoDAsync");
        }
    }

    /** A stream that synchronizes with the default stream (flags 0), so plain copies stay ordered with its work. */
    MemorySegment createStream() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            check((int) cuStreamCreate.invokeExact(v, 0), "cuStreamCreate");
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuStreamCreate");
        }
    }

    void destroyStream(MemorySegment stream) {
        try {
            check((int) cuStreamDestroy.invokeExact(stream), "cuStreamDestroy");
        } catch (Throwable t) {
            throw wrap(t, "cuStreamDestroy");
        }
    }

    void synchronizeStream(MemorySegment stream) {
        try {
            check((int) cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize");
        } catch (Throwable t) {
            throw wrap(t, "cuStreamSynchronize");
        }
    }

    /** Starts recording the work queued on {@code stream} instead of running it (relaxed capture mode). */
    void beginCapture(MemorySegment stream) {
        try {
            check((int) cuStreamBeginCapture.invokeExact(stream, 2), "cuStreamBeginCapture");
        } catch (Throwable t) {
            throw wrap(t, "cuStreamBeginCapture");
        }
    }

    /** Ends the capture and returns an executable graph of it (the captured graph itself is destroyed). */
    MemorySegment endCaptureAndInstantiate(MemorySegment stream) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment graph = arena.allocate(ADDRESS);
            check((int) cuStreamEndCapture.invokeExact(stream, graph), "cuStreamEndCapture");
            MemorySegment exec = arena.allocate(ADDRESS);
            try {
                check((int) cuGraphInstantiateWithFlags.invokeExact(exec, graph.get(ADDRESS, 0), 0L),
                        "cuGraphInstantiateWithFlags");
            } finally {
                check((int) cuGraphDestroy.invokeExact(graph.get(ADDRESS, 0)), "cuGraphDestroy");
            }
            return exec.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuStreamEndCapture");
        }
    }

    void launchGraph(MemorySegment exec, MemorySegment stream) {
        try {
            check((int) cuGraphLaunch.invokeExact(exec, stream), "cuGraphLaunch");
        } catch (Throwable t) {
            throw wrap(t, "cuGraphLaunch");
        }
    }

    void destroyGraph(MemorySegment exec) {
        try {
            check((int) cuGraphExecDestroy.invokeExact(exec), "cuGraphExecDestroy");
        } catch (Throwable t) {
            throw wrap(t, "cuGraphExecDestroy");
        }
    }

    MemorySegment createEvent() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ADDRESS);
            check((int) cuEventCreate.invokeExact(v, 0), "cuEventCreate");
            return v.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw wrap(t, "cuEventCreate");
        }
    }

    void destroyEvent(MemorySegment event) {
        try {
            check((int) cuEventDestroy.invokeExact(event), "cuEventDestroy");
        } catch (Throwable t) {
            throw wrap(t, "cuEventDestroy");
        }
    }

    void recordEvent(MemorySegment event) {
        try {
            check((int) cuEventRecord.invokeExact(event, MemorySegment.NULL), "cuEventRecord");
        } catch (Throwable t) {
            throw wrap(t, "cuEventRecord");
        }
    }

    /** Milliseconds of device time between two recorded events, after waiting for the second. */
    float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena arena = Arena.ofConfined()) {
            check((int) cuEventSynchronize.invokeExact(end), "cuEventSynchronize");
            MemorySegment v = arena.allocate(JAVA_INT);
            check((int) cuEventElapsedTime.invokeExact(v, start, end), "cuEventElapsedTime");
            return Float.intBitsToFloat(v.get(JAVA_INT, 0));
        } catch (Throwable t) {
            throw wrap(t, "cuEventElapsedTime");
        }
    }
}
