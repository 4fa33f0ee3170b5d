package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests that share a long system prompt compute it once; the cache changes how much is computed, not the output. */
class PrefixCacheTest {

    private static final EngineConfig CONFIG = new EngineConfig(64L << 20, 16, 8, 16, 256, 256, 2);
    private static final SamplingParams GREEDY = SamplingParams.builder().temperature(0).maxTokens(24)
            .ignoreEos(true).build();

    @TempDir
    Path dir;

    @Test
    void aSecondRequestWithTheSameSystemPromptComputesOnlyItsOwnTokens() {
        Path model = TestEngines.synthesize(dir, TestEngines.SMALL, GgmlType.Q8_0);
        SplittableRandom random = new SplittableRandom(8);
        int[] system = TestEngines.randomTokens(random, 1000, TestEngines.SMALL.vocabulary());
        int[] first = concat(system, TestEngines.randomTokens(random, 30, TestEngines.SMALL.vocabulary()));
        int[] second = concat(system, TestEngines.randomTokens(random, 25, TestEngines.SMALL.vocabulary()));

        EventCollector cold;
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            cold = EventCollector.of(engine.submit(GenerationRequest.of(second, GREEDY))).await();
            assertThat(engine.stats().prefillTokens()).isEqualTo(second.length);
        }
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            EventCollector.of(engine.submit(GenerationRequest.of(first, GREEDY))).await();
            long before = engine.stats().prefillTokens();
            EventCollector warm = EventCollector.of(engine.submit(GenerationRequest.of(second, GREEDY))).await();

            int cachedBlocks = 1000 / 16; // full blocks of the shared system prompt
            assertThat(warm.usage().cachedPromptTokens()).isEqualTo(cachedBlocks * 16);
            assertThat(engine.stats().prefillTokens() - before).isEqualTo(second.length - cachedBlocks * 16);
            assertThat(engine.stats().prefixCacheHitRate()).isPositive();
            assertThat(warm.tokens()).hasSize(24).isEqualTo(cold.tokens());
            assertThat(cold.usage().cachedPromptTokens()).isZero();
        }
    }

    @Test
    void anIdenticalPromptStillComputesItsLastToken() {
        Path model = TestEngines.synthesize(dir, TestEngines.SMALL, GgmlType.Q8_0);
        int[] prompt = TestEngines.randomTokens(new SplittableRandom(9), 64, TestEngines.SMALL.vocabulary());
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            EventCollector first = EventCollector.of(engine.submit(GenerationRequest.of(prompt, GREEDY))).await();
            EventCollector again = EventCollector.of(engine.submit(GenerationRequest.of(prompt, GREEDY))).await();
            // 64 tokens are four full blocks, but the last token must run to give logits: three blocks come from
            // the cache and the fourth is computed again.
            assertThat(again.usage().cachedPromptTokens()).isEqualTo(48);
            assertThat(again.tokens()).isEqualTo(first.tokens());
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = new int[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
