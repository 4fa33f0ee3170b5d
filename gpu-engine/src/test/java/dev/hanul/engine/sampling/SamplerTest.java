package dev.hanul.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {1f, 3f, 2f, 0.5f, 2.9f};

    @Test
    void greedyPicksTheLargestLogit() {
        assertThat(new Sampler(SamplingParams.GREEDY).sample(LOGITS, 0, LOGITS.length)).isEqualTo(1);
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        Sampler sampler = new Sampler(params(5f, 1, 1f, 0f, 1L));
        for (int i = 0; i < 50; i++) {
            assertThat(sampler.sample(LOGITS, 0, LOGITS.length)).isEqualTo(1);
        }
    }

    @Test
    void theSameSeedGivesTheSameTokens() {
        float[] random = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < random.length; i++) {
            random[i] = (float) r.nextGaussian() * 3;
        }
        assertThat(draws(params(1f, 0, 1f, 0f, 42L), random)).isEqualTo(draws(params(1f, 0, 1f, 0f, 42L), random))
                .isNotEqualTo(draws(params(1f, 0, 1f, 0f, 43L), random));
    }

    @Test
    void minPAndTopPKeepOnlyTheLikelyTokens() {
        // probabilities at temperature 1: token 1 and 4 carry ~0.72 of the mass together
        List<Integer> minP = draws(params(1f, 0, 1f, 0.8f, 5L), LOGITS);
        assertThat(minP).allMatch(t -> t == 1 || t == 4);
        List<Integer> topP = draws(params(1f, 0, 0.5f, 0f, 5L), LOGITS);
        assertThat(topP).allMatch(t -> t == 1 || t == 4);
        assertThat(draws(params(1f, 0, 1f, 0f, 5L), LOGITS)).contains(0, 2);
    }

    @Test
    void outOfRangeValuesNameTheParameter() {
        assertThatThrownBy(() -> params(-1f, 0, 1f, 0f, null)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> params(1f, -2, 1f, 0f, null)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> params(1f, 0, 0f, 0f, null)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> params(1f, 0, 1f, 1.5f, null)).hasMessageContaining("min_p");
        assertThatThrownBy(() -> new SamplingParams(1f, 0, 1f, 0f, null, 0, List.of()))
                .hasMessageContaining("max_tokens");
    }

    private static SamplingParams params(float temperature, int topK, float topP, float minP, Long seed) {
        return new SamplingParams(temperature, topK, topP, minP, seed, 16, List.of());
    }

    private static List<Integer> draws(SamplingParams params, float[] logits) {
        Sampler sampler = new Sampler(params);
        return IntStream.range(0, 200).mapToObj(i -> sampler.sample(logits, 0, logits.length)).toList();
    }
}
