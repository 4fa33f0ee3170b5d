package dev.hanul.engine.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import org.junit.jupiter.api.Test;

/** Device memory: everything a backend allocates is freed when it closes, as the driver itself counts it. */
class CudaMemoryTest {

    @Test
    void closingTheBackendFreesEveryDeviceAllocation() {
        // The outer backend keeps the context alive, so the driver can be asked before and after the inner one.
        try (CudaBackend outer = CudaEmulator.backend();
             GgufFile gguf = GgufFile.open(TestModels.require(TestModels.STORIES))) {
            long freeBefore = outer.deviceMemoryInfo()[0];
            CudaBackend inner = CudaBackend.open(CudaEmulator.driver());
            LlamaModel model = LlamaModel.load(gguf, inner);
            KvStore kv = inner.allocateKv(model.config().blockCount(), 64, model.config().kvDim());
            model.forward(model.newState(4, 1), new int[] {1, 403, 407, 261},
                    AttentionBatch.ofContiguousSequence(new int[] {0, 1, 2, 3}, AttentionBatch.identityTable(64, 16),
                            16), kv, new int[] {3});
            assertThat(inner.deviceAllocations()).isGreaterThan(40);   // weights, norms, activations, KV, scratch
            assertThat(outer.deviceMemoryInfo()[0]).isLessThan(freeBefore - inner.deviceBytes() + 1);
            inner.close();
            assertThat(inner.deviceAllocations()).isZero();
            assertThat(inner.deviceBytes()).isZero();
            assertThat(outer.deviceMemoryInfo()[0]).isEqualTo(freeBefore);
        }
    }

    @Test
    void anAllocationBeyondTheDeviceNamesWhatItWasFor() {
        try (CudaBackend cuda = CudaEmulator.backend()) {
            long total = cuda.deviceMemoryInfo()[1];
            int slots = (int) Math.min(Integer.MAX_VALUE, total / (4L * 1024 * 2));
            assertThatThrownBy(() -> cuda.allocateKv(4, slots, 1024))
                    .isInstanceOf(CudaException.class)
                    .hasMessageContaining("CUDA_ERROR_OUT_OF_MEMORY").hasMessageContaining("KV cache");
            assertThat(cuda.deviceAllocations()).as("the failed allocation holds nothing").isLessThanOrEqualTo(1);
        }
    }
}
