package dev.hanul.engine.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CUDA backend on the stand-in driver (gpu-engine/src/test/cuda), which runs the CPU build of the same kernel
 * source: what the CUDA tests use on machines without a GPU. gpu-engine/scripts/build-cuda.sh builds it into the
 * folder named by the system property {@code hanul.cuda.emulator} (Maven: target/cuda-emulator). A test that needs
 * it is skipped, saying why, when it or the compiled kernels could not be built. With {@code hanul.cuda.driver} set,
 * the tests run on that driver instead: on a GPU machine, the real libcuda.so.1.
 */
public final class CudaEmulator {

    private CudaEmulator() {
    }

    /** The driver the CUDA tests run on, or skips the calling test with the reason it cannot be had. */
    public static CudaDriver driver() {
        assumeTrue(CudaBackend.kernelsAvailable(), () -> "Skipped: this build has no compiled CUDA kernels ("
                + status("kernels") + ")");
        String real = System.getProperty("hanul.cuda.driver");
        if (real != null && !real.isBlank()) {
            return CudaDriver.load(real);
        }
        Path library = folder().resolve("libcuda.so.1");
        assumeTrue(Files.isRegularFile(library), () -> "Skipped: the CUDA emulator was not built ("
                + status("emulator") + ")");
        return CudaDriver.load(library.toString());
    }

    /** A CUDA backend on {@link #driver()}. */
    public static CudaBackend backend() {
        return CudaBackend.open(driver());
    }

    private static Path folder() {
        return Path.of(System.getProperty("hanul.cuda.emulator", "target/cuda-emulator"));
    }

    /** What build-cuda.sh wrote about a part: "built" or why not. */
    private static String status(String part) {
        Path file = folder().resolve(part + ".status");
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip()
                    : "no " + file + ": run gpu-engine/scripts/build-cuda.sh, which Maven runs in generate-resources";
        } catch (IOException e) {
            return "cannot read " + file + ": " + e.getMessage();
        }
    }
}
