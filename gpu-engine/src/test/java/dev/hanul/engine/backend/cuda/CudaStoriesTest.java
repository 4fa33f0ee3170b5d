package dev.hanul.engine.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The real stories260K model end to end on the CUDA backend: the published greedy text, and logits near the CPU's. */
class CudaStoriesTest {

    @Test
    void greedyFromBosGivesThePublishedText() throws Exception {
        var path = TestModels.require(TestModels.STORIES);
        String expected = Files.readString(path.resolveSibling("expected_greedy_t0.txt")).stripTrailing();
        try (GgufFile gguf = GgufFile.open(path); CudaBackend cuda = CudaEmulator.backend()) {
            LlamaModel model = LlamaModel.load(gguf, cuda);
            EngineConfig config = new EngineConfig(1L << 20, 16, 4, 16, 64, 64, 1);
            try (InferenceEngine engine = new InferenceEngine(model, Tokenizer.fromGguf(gguf), config)) {
                SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(256).build();
                assertThat(text(engine.submit(GenerationRequest.of(new int[] {1}, params)))).isEqualTo(expected);
            }
            // One graph per block-table width (a new block every 16 tokens); the steps in between replay it.
            assertThat(cuda.graphCounts()).as("{instantiated, replayed}").containsExactly(16, 240);
        }
    }

    @Test
    void graphsGiveTheSameLogitsAsLaunchingEachKernel() {
        var path = TestModels.require(TestModels.STORIES);
        int[] prompt = {1, 403, 407, 261, 378, 432, 300};
        try (GgufFile gguf = GgufFile.open(path);
             CudaBackend eager = CudaBackend.open(CudaEmulator.driver(), false);
             CudaBackend graphs = CudaBackend.open(CudaEmulator.driver(), true)) {
            float[] expected = lastLogits(LlamaModel.load(gguf, eager), prompt);
            LlamaModel model = LlamaModel.load(gguf, graphs);
            KvStore kv = graphs.allocateKv(model.config().blockCount(), 32, model.config().kvDim());
            ForwardState state = model.newState(prompt.length, 1);
            assertThat(lastLogits(model, state, kv, prompt)).containsExactly(expected);
            assertThat(lastLogits(model, state, kv, prompt)).as("replayed").containsExactly(expected);
            assertThat(graphs.graphCounts()).as("{instantiated, replayed}").containsExactly(1, 1);
            assertThat(eager.graphCounts()).containsExactly(0, 0);
        }
    }

    @Test
    void logitsOfAPromptMatchTheCpuBackend() {
        var path = TestModels.require(TestModels.STORIES);
        int[] prompt = {1, 403, 407, 261, 378, 432, 300, 17, 90, 255, 4, 500};
        try (GgufFile gguf = GgufFile.open(path); CudaBackend cuda = CudaEmulator.backend();
             CpuBackend cpu = new CpuBackend(1)) {
            float[] expected = lastLogits(LlamaModel.load(gguf, cpu), prompt);
            float[] actual = lastLogits(LlamaModel.load(gguf, cuda), prompt);
            assertThat(maxAbsDifference(expected, actual)).isLessThan(1e-4f);
        }
    }

    static float[] lastLogits(LlamaModel model, int[] prompt) {
        KvStore kv = model.backend().allocateKv(model.config().blockCount(), 32, model.config().kvDim());
        return lastLogits(model, model.newState(prompt.length, 1), kv, prompt);
    }

    static float[] lastLogits(LlamaModel model, ForwardState state, KvStore kv, int[] prompt) {
        int[] positions = new int[prompt.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        return model.forward(state, prompt,
                AttentionBatch.ofContiguousSequence(positions, AttentionBatch.identityTable(32, 16), 16), kv,
                new int[] {prompt.length - 1});
    }

    static float maxAbsDifference(float[] a, float[] b) {
        assertThat(b).hasSameSizeAs(a);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static String text(Flow.Publisher<dev.hanul.engine.GenerationEvent> events) throws Exception {
        StringBuilder text = new StringBuilder();
        CompletableFuture<String> done = new CompletableFuture<>();
        events.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(dev.hanul.engine.GenerationEvent event) {
                if (event instanceof dev.hanul.engine.GenerationEvent.Token token) {
                    text.append(token.text());
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(text.toString());
            }
        });
        return done.get();
    }
}
