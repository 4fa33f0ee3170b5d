package dev.hanul.engine.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.backend.BackendChoice;
import dev.hanul.engine.backend.BackendSelector;
import dev.hanul.engine.backend.SelectedBackend;
import dev.hanul.engine.backend.cpu.CpuBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Auto selection takes CUDA when the driver, a device and the kernels are there, else the CPU with the reason. */
class BackendSelectorTest {

    private final String savedDriver = System.getProperty("hanul.cuda.driver");

    @AfterEach
    void restore() {
        if (savedDriver == null) {
            System.clearProperty("hanul.cuda.driver");
        } else {
            System.setProperty("hanul.cuda.driver", savedDriver);
        }
    }

    @Test
    void autoFallsBackToTheCpuSayingWhy() {
        System.setProperty("hanul.cuda.driver", "/nonexistent/libcuda.so.1");
        SelectedBackend selected = BackendSelector.select(BackendChoice.AUTO, 1);
        try (var backend = selected.backend()) {
            assertThat(backend).isInstanceOf(CpuBackend.class);
            assertThat(selected.reason()).startsWith("cpu: CUDA unavailable")
                    .contains("/nonexistent/libcuda.so.1 could not be loaded");
        }
    }

    @Test
    void forcedCudaFailsWithTheReasonInsteadOfFallingBack() {
        System.setProperty("hanul.cuda.driver", "/nonexistent/libcuda.so.1");
        assertThatThrownBy(() -> BackendSelector.select(BackendChoice.CUDA, 1))
                .isInstanceOf(CudaException.class).hasMessageContaining("could not be loaded");
    }

    @Test
    void autoTakesCudaWhenADeviceIsThere() {
        CudaEmulator.driver();   // skips when neither the emulator nor a real driver is there
        if (savedDriver == null) {
            System.setProperty("hanul.cuda.driver",
                    Path.of(System.getProperty("hanul.cuda.emulator", "target/cuda-emulator"), "libcuda.so.1")
                            .toString());
        }
        SelectedBackend selected = BackendSelector.select(BackendChoice.AUTO, 1);
        try (var backend = selected.backend()) {
            assertThat(backend).isInstanceOf(CudaBackend.class);
            assertThat(backend.name()).startsWith("cuda (");
            assertThat(selected.reason()).isEqualTo("cuda: a CUDA device and driver were found");
        }
    }

    @Test
    void theStandInNeverAnswersForTheSystemDriver() {
        CudaEmulator.driver();   // the stand-in, loaded by path (or the real driver on a GPU machine)
        try (CudaBackend system = CudaBackend.open(CudaDriver.load("libcuda.so.1"))) {
            assertThat(system.name()).doesNotContain("stand-in");
        } catch (CudaException e) {
            assertThat(e).hasMessageContaining("libcuda.so.1 could not be loaded");
        }
    }

    @Test
    void choicesAreParsedWithAHelpfulError() {
        assertThat(BackendChoice.parse(" Cuda ")).isEqualTo(BackendChoice.CUDA);
        assertThatThrownBy(() -> BackendChoice.parse("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown backend 'tpu': use auto, cpu or cuda");
    }
}
