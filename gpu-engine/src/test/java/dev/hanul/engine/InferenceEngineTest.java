package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.sampling.SamplingParams;
import org.junit.jupiter.api.Test;

class InferenceEngineTest {

    private static final EngineConfig SMALL = new EngineConfig(16L << 20, 16, 16, 64, 64, 32, 2);

    @Test
    void storiesModelDecodesThePublishedFirstTokensFromBos() {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), SMALL)) {
            SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(5).ignoreEos(true).build();
            EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params)))
                    .await();
            assertThat(events.tokens()).containsExactly(403, 407, 261, 378, 432);
            assertThat(events.finished().reason()).isEqualTo(FinishReason.LENGTH);
            assertThat(events.usage()).isEqualTo(new Usage(1, 5, 0));
        }
    }
}
