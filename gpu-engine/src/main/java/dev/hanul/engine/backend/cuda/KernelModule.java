package dev.hanul.engine.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's kernels (gpu-engine/src/main/cuda), compiled at build time into a fatbin resource with sm_80 and
 * sm_90 code plus compute_80 PTX that newer GPUs' drivers compile on load.
 */
final class KernelModule implements AutoCloseable {

    static final String RESOURCE = "hanul_kernels.fatbin";

    private final CudaDriver driver;
    private final MemorySegment module;
    private final Map<String, MemorySegment> functions = new HashMap<>();

    private KernelModule(CudaDriver driver, MemorySegment module) {
        this.driver = driver;
        this.module = module;
    }

    /** Whether this build carries compiled kernels (it does not when nvcc was unavailable at build time). */
    static boolean available() {
        return KernelModule.class.getResource(RESOURCE) != null;
    }

    static KernelModule load(CudaDriver driver) {
        byte[] image;
        try (InputStream in = KernelModule.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CudaException("this build has no compiled CUDA kernels (resource " + RESOURCE + " is "
                        + "missing: nvcc was unavailable when it was built; see README, \"CUDA backend\")");
            }
            image = in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read the CUDA kernels resource " + RESOURCE, e);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(image.length + 1L, 16);   // native, and NUL-terminated for PTX
            MemorySegment.copy(image, 0, copy, ValueLayout.JAVA_BYTE, 0, image.length);
            return new KernelModule(driver, driver.loadModule(copy));    // the driver copies the image
        }
    }

    MemorySegment function(String name) {
        return functions.computeIfAbsent(name, n -> driver.function(module, n));
    }

    @Override
    public void close() {
        driver.unloadModule(module);
    }
}
