package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.backend.cpu.MatmulPrecision;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's tokens do not depend on what else the engine runs: decoded alone, or joining a batch of 16 requests of
 * all kinds (other prompt lengths, sampled, parallel samples, prompts split into chunks differently), it produces the
 * same tokens, greedy or seeded.
 */
class BatchInvarianceTest {

    /** Small steps, so that prompts are chunked and the request's prefill shares steps with others' decoding. */
    private static final EngineConfig CONFIG = new EngineConfig(32L << 20, 16, 32, 64, 48, 24, 2);

    @TempDir
    Path dir;

    @Test
    void storiesModel() {
        check(TestModels.require(TestModels.STORIES));
    }

    @Test
    void synthesizedQ8Model() {
        check(TestEngines.synthesize(dir, TestEngines.SMALL, GgmlType.Q8_0));
    }

    /**
     * The int8 products: a batch's tokens go through the two-token kernels in pairs, a lone token through the
     * one-token kernel, and both must give the same bits.
     */
    @Test
    void synthesizedQ4ModelWithInt8Products() {
        Path file = TestEngines.synthesize(dir, TestEngines.SMALL, GgmlType.Q4_0);
        try (GgufFile gguf = GgufFile.open(file);
             CpuBackend backend = new CpuBackend(CONFIG.threads(), MatmulPrecision.INT8);
             InferenceEngine engine = new InferenceEngine(LlamaModel.load(gguf, backend), null, CONFIG)) {
            check(engine);
        }
    }

    private void check(Path model) {
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            check(engine);
        }
    }

    private void check(InferenceEngine engine) {
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(40).ignoreEos(true).build();
        SamplingParams seeded = SamplingParams.builder().temperature(0.9f).topP(0.95f).topK(50).seed(1234L)
                .maxTokens(40).ignoreEos(true).build();
        int vocabulary = engine.modelConfig().vocabularySize();
        SplittableRandom random = new SplittableRandom(99);
        int[] prompt = TestEngines.randomTokens(random, 70, vocabulary);

        List<Integer> greedyAlone = run(engine, prompt, greedy);
        List<Integer> seededAlone = run(engine, prompt, seeded);
        assertThat(greedyAlone).hasSize(40);
        assertThat(seededAlone).hasSize(40).isNotEqualTo(greedyAlone);

        List<EventCollector> others = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            others.add(submitOther(engine, random, vocabulary));
        }
        EventCollector greedyInBatch = EventCollector.of(engine.submit(GenerationRequest.of(prompt, greedy)));
        for (int i = 0; i < 6; i++) {
            others.add(submitOther(engine, random, vocabulary));
        }
        EventCollector seededInBatch = EventCollector.of(engine.submit(GenerationRequest.of(prompt, seeded)));
        others.forEach(EventCollector::await);

        assertThat(greedyInBatch.await().tokens()).isEqualTo(greedyAlone);
        assertThat(seededInBatch.await().tokens()).isEqualTo(seededAlone);
        assertThat(engine.stats().steps()).isGreaterThan(0);
    }

    private static List<Integer> run(InferenceEngine engine, int[] prompt, SamplingParams params) {
        return EventCollector.of(engine.submit(GenerationRequest.of(prompt, params))).await().tokens();
    }

    private static EventCollector submitOther(InferenceEngine engine, SplittableRandom random, int vocabulary) {
        int[] prompt = TestEngines.randomTokens(random, 1 + random.nextInt(120), vocabulary);
        SamplingParams params = SamplingParams.builder()
                .temperature(random.nextBoolean() ? 0f : 0.7f)
                .seed(random.nextLong())
                .n(random.nextInt(4) == 0 ? 2 : 1)
                .maxTokens(5 + random.nextInt(50))
                .ignoreEos(true)
                .build();
        return EventCollector.of(engine.submit(GenerationRequest.of(prompt, params)));
    }
}
