package dev.hanul.engine.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * Device 0's primary context, made current on whichever thread uses it: the engine loads a model on one thread and
 * steps it on another, and a CUDA context is current per thread.
 */
final class CudaContext implements AutoCloseable {

    private final CudaDriver driver;
    private final int device;
    private final MemorySegment context;
    private final String deviceName;
    private final int computeMajor;
    private final int computeMinor;
    private final long totalMemory;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private boolean closed;

    private CudaContext(CudaDriver driver, int device) {
        this.driver = driver;
        this.device = device;
        this.deviceName = driver.deviceName(device);
        this.computeMajor = driver.attribute(CudaDriver.ATTRIBUTE_COMPUTE_MAJOR, device);
        this.computeMinor = driver.attribute(CudaDriver.ATTRIBUTE_COMPUTE_MINOR, device);
        this.totalMemory = driver.totalMemory(device);
        this.context = driver.retainPrimaryContext(device);
        makeCurrent();
    }

    /** Initializes the driver and retains device 0's primary context; fails saying why when there is no device. */
    static CudaContext open(CudaDriver driver) {
        driver.init();
        if (driver.deviceCount() < 1) {
            throw new CudaException("the CUDA driver " + driver.library() + " sees no device");
        }
        return new CudaContext(driver, driver.device(0));
    }

    void makeCurrent() {
        if (!current.get()) {
            driver.setCurrent(context);
            current.set(true);
        }
    }

    CudaDriver driver() {
        return driver;
    }

    String deviceName() {
        return deviceName;
    }

    String computeCapability() {
        return computeMajor + "." + computeMinor;
    }

    long totalMemory() {
        return totalMemory;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            driver.releasePrimaryContext(device);
        }
    }
}
