package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paging keeps KV memory close to what the tokens need: with many sequences of random lengths running, the slots
 * allocated but not holding a token (at most the unfilled tail of each sequence's last block) stay under 4%.
 */
class KvMemoryTest {

    private static final int SEQUENCES = 48;
    private static final EngineConfig CONFIG = new EngineConfig(64L << 20, 16, SEQUENCES, SEQUENCES, 256, 128, 2);

    @TempDir
    Path dir;

    @Test
    void wastedSlotsStayUnderFourPercentAtSteadyState() {
        Path model = TestEngines.synthesize(dir, TestEngines.TINY, GgmlType.F32);
        SplittableRandom random = new SplittableRandom(4);
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            List<EventCollector> streams = new ArrayList<>();
            for (int i = 0; i < SEQUENCES; i++) {
                int[] prompt = TestEngines.randomTokens(random, 150 + random.nextInt(350), 64);
                SamplingParams params = SamplingParams.builder().temperature(1f).seed((long) i)
                        .maxTokens(100 + random.nextInt(200)).ignoreEos(true).build();
                streams.add(EventCollector.of(engine.submit(GenerationRequest.of(prompt, params))));
            }
            double worst = 0;
            int snapshots = 0;
            while (!streams.stream().allMatch(EventCollector::isDone)) {
                EngineStats stats = engine.stats();
                if (stats.running() >= SEQUENCES * 3 / 4) {
                    worst = Math.max(worst, stats.kvSlotWaste());
                    snapshots++;
                }
                Thread.onSpinWait();
            }
            streams.forEach(EventCollector::await);
            assertThat(snapshots).as("snapshots at steady state").isPositive();
            assertThat(worst).as("worst share of allocated KV slots left empty").isLessThan(0.04);
        }
    }
}
