package dev.hanul.engine.backend;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.backend.cuda.CudaBackend;
import dev.hanul.engine.backend.cuda.CudaDriver;
import dev.hanul.engine.backend.cuda.CudaException;

/** Opens the backend a {@link BackendChoice} asks for, logging which one and why. */
public final class BackendSelector {

    private static final System.Logger LOG = System.getLogger(BackendSelector.class.getName());

    private BackendSelector() {
    }

    /** The configured choice ({@link BackendChoice#configured()}), with {@code threads} CPU threads. */
    public static SelectedBackend select(int threads) {
        return select(BackendChoice.configured(), threads);
    }

    /** The configured choice for a model of {@code architecture} ({@code general.architecture}). */
    public static SelectedBackend select(int threads, String architecture) {
        return select(BackendChoice.configured(), threads, architecture);
    }

    /**
     * CUDA when asked for or when auto finds it working; the CPU otherwise. A forced CUDA that cannot start throws
     * {@link CudaException} with the reason instead of falling back.
     */
    public static SelectedBackend select(BackendChoice choice, int threads) {
        return select(choice, threads, "llama");
    }

    /** The same, for a model of {@code architecture}: the CUDA kernels cover the Llama block only so far. */
    public static SelectedBackend select(BackendChoice choice, int threads, String architecture) {
        boolean cudaRuns = CudaBackend.ARCHITECTURES.contains(architecture);
        String notOnCuda = "the CUDA backend does not run architecture '%s' yet (it runs %s)".formatted(architecture,
                String.join(", ", CudaBackend.ARCHITECTURES));
        SelectedBackend selected = switch (choice) {
            case CPU -> new SelectedBackend(new CpuBackend(threads), "cpu: forced (hanul.engine.backend=cpu)");
            case CUDA -> {
                if (!cudaRuns) {
                    throw new CudaException(notOnCuda);
                }
                CudaBackend cuda = CudaBackend.open(CudaDriver.load());
                yield new SelectedBackend(cuda, "cuda: forced (hanul.engine.backend=cuda)");
            }
            case AUTO -> {
                if (!cudaRuns) {
                    yield new SelectedBackend(new CpuBackend(threads), "cpu: " + notOnCuda);
                }
                try {
                    CudaBackend cuda = CudaBackend.open(CudaDriver.load());
                    yield new SelectedBackend(cuda, "cuda: a CUDA device and driver were found");
                } catch (CudaException e) {
                    yield new SelectedBackend(new CpuBackend(threads), "cpu: CUDA unavailable (" + e.getMessage() + ")");
                }
            }
        };
        LOG.log(System.Logger.Level.INFO, "backend {0}; {1}", selected.backend().name(), selected.reason());
        return selected;
    }
}
