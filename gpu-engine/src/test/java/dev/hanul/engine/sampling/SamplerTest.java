package dev.hanul.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
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

    @Test
    void penaltiesFollowVllm() {
        float[] logits = {2f, -1f, 1f, 0.5f};
        // repetition 2: positive logits of seen tokens halve, negative ones double; token 0 was in the prompt,
        // token 1 was generated
        SamplingParams repetition = SamplingParams.builder().temperature(0).repetitionPenalty(2f).build();
        Sampler sampler = new Sampler(repetition, 1, new int[] {0}, List.of());
        assertThat(sampler.sample(logits, 0, 4)).as("2 / 2 = 1 ties token 2, the first wins").isEqualTo(0);
        assertThat(sampler.sample(logits, 0, 4)).as("token 0 is penalized once, not again").isEqualTo(0);

        // frequency 0.6 per occurrence plus presence 0.5 once: after one generation of token 0 its logit is 0.9
        SamplingParams frequency = SamplingParams.builder().temperature(0).frequencyPenalty(0.6f)
                .presencePenalty(0.5f).build();
        Sampler counting = new Sampler(frequency, 1, new int[0], List.of());
        assertThat(counting.sample(logits, 0, 4)).isEqualTo(0);
        assertThat(counting.sample(logits, 0, 4)).isEqualTo(2);
        assertThat(logits).as("the caller's logits are untouched").containsExactly(2f, -1f, 1f, 0.5f);
    }

    @Test
    void stopTokensAreImpossibleBeforeMinTokens() {
        float[] logits = {0f, 5f, 1f};
        SamplingParams params = SamplingParams.builder().temperature(0).minTokens(2).maxTokens(8).build();
        Sampler sampler = new Sampler(params, 1, new int[0], List.of(1));
        assertThat(sampler.sample(logits, 0, 3)).isEqualTo(2);
        assertThat(sampler.sample(logits, 0, 3)).isEqualTo(2);
        assertThat(sampler.sample(logits, 0, 3)).isEqualTo(1);
    }

    @Test
    void topKKeepsExactlyTheKMostLikelyTokens() {
        float[] logits = new float[5000];
        Random random = new Random(5);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        Integer[] order = IntStream.range(0, logits.length).boxed()
                .sorted((a, b) -> Float.compare(logits[b], logits[a])).toArray(Integer[]::new);
        List<Integer> topFive = List.of(order).subList(0, 5);
        assertThat(draws(params(100f, 5, 1f, 0f, 9L), logits)).allMatch(topFive::contains)
                .containsAll(topFive);
    }

    @Test
    void logprobsAreTheLogSoftmaxOfTheLogits() {
        float[] logits = {1f, 3f, 2f};
        double normalizer = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2));
        Logprobs logprobs = Logprobs.of(logits, 0, 3, 2, 2);
        assertThat(logprobs.sampled().token()).isEqualTo(2);
        assertThat(logprobs.sampled().logprob()).isCloseTo((float) (2 - normalizer), within(1e-6f));
        assertThat(logprobs.top()).extracting(TokenLogprob::token).containsExactly(1, 2);
        assertThat(logprobs.top().getFirst().logprob()).isCloseTo((float) (3 - normalizer), within(1e-6f));
    }

    @Test
    void everySampleOfARequestHasItsOwnReproducibleSeed() {
        assertThat(Sampler.seedOf(42L, 0)).isEqualTo(42L);
        assertThat(IntStream.range(0, 8).mapToLong(i -> Sampler.seedOf(42L, i)).distinct().count()).isEqualTo(8);
        assertThat(Sampler.seedOf(42L, 3)).isEqualTo(Sampler.seedOf(42L, 3));
    }

    @Test
    void theNewParametersAreCheckedWithVllmsMessages() {
        SamplingParams.Builder ok = SamplingParams.builder();
        assertThatThrownBy(() -> ok.n(0).build()).hasMessage("n must be at least 1, got 0.");
        assertThatThrownBy(() -> SamplingParams.builder().presencePenalty(2.5f).build())
                .hasMessage("presence_penalty must be in [-2, 2], got 2.5.");
        assertThatThrownBy(() -> SamplingParams.builder().frequencyPenalty(-3f).build())
                .hasMessage("frequency_penalty must be in [-2, 2], got -3.0.");
        assertThatThrownBy(() -> SamplingParams.builder().repetitionPenalty(0f).build())
                .hasMessage("repetition_penalty must be greater than zero, got 0.0.");
        assertThatThrownBy(() -> SamplingParams.builder().minTokens(-1).build())
                .hasMessage("min_tokens must be greater than or equal to 0, got -1.");
        assertThatThrownBy(() -> SamplingParams.builder().maxTokens(4).minTokens(5).build())
                .hasMessage("min_tokens must be less than or equal to max_tokens=4, got 5.");
        assertThatThrownBy(() -> SamplingParams.builder().logprobs(21).build())
                .hasMessage("logprobs must be in [0, 20], got 21.");
        assertThatThrownBy(() -> SamplingParams.builder().stop(List.of("")).build())
                .hasMessage("stop cannot contain an empty string.");
        assertThatThrownBy(() -> SamplingParams.builder().stopTokenIds(List.of(-1)).build())
                .hasMessage("stop_token_ids must not be negative, got -1.");
    }

    @Test
    void aConstraintLimitsTheDrawAndLearnsEachChosenToken() {
        // Allows tokens 0 and 3 (the least likely) until two were drawn, then is complete.
        List<Integer> seen = new ArrayList<>();
        SamplingParams params = SamplingParams.builder().temperature(1f).seed(5L).maxTokens(8)
                .constraint(() -> new AllowOnly(seen, 2, 0, 3)).build();
        Sampler sampler = new Sampler(params, 5L, new int[0], List.of(4));
        for (int i = 0; i < 2; i++) {
            assertThat(sampler.sample(LOGITS, 0, LOGITS.length)).isIn(0, 3);
        }
        assertThat(seen).hasSize(2).allMatch(token -> token == 0 || token == 3);
        assertThat(sampler.constraintComplete()).isTrue();
        assertThat(sampler.sample(LOGITS, 0, LOGITS.length)).as("only the stop token may follow").isEqualTo(4);
        assertThat(LOGITS).as("the caller's logits are untouched").containsExactly(1f, 3f, 2f, 0.5f, 2.9f);
    }

    @Test
    void aCompleteConstraintWithoutAStopTokenToDrawLeavesNoToken() {
        SamplingParams params = SamplingParams.builder().temperature(0f).maxTokens(8)
                .constraint(() -> new AllowOnly(new ArrayList<>(), 0)).build();
        assertThat(new Sampler(params, 1L, new int[0], List.of()).sample(LOGITS, 0, LOGITS.length))
                .as("ignore_eos: nothing may follow").isEqualTo(Sampler.NO_TOKEN);
        Sampler beforeMinTokens = new Sampler(params.toBuilder().minTokens(3).build(), 1L, new int[0], List.of(4));
        assertThat(beforeMinTokens.sample(LOGITS, 0, LOGITS.length)).isEqualTo(Sampler.NO_TOKEN);
        assertThat(beforeMinTokens.constraintComplete()).isTrue();
        Sampler stuck = new Sampler(SamplingParams.builder().temperature(0f)
                .constraint(() -> new AllowOnly(new ArrayList<>(), 5)).build(), 1L, new int[0], List.of(4));
        assertThat(stuck.sample(LOGITS, 0, LOGITS.length)).as("a constraint that allows nothing")
                .isEqualTo(Sampler.NO_TOKEN);
        assertThat(stuck.constraintComplete()).isFalse();
    }

    /** Allows the given tokens for {@code length} tokens, then is complete. */
    private record AllowOnly(List<Integer> seen, int length, int... allowed) implements TokenConstraint {

        @Override
        public void mask(float[] logits, int offset, int vocabulary) {
            for (int token = 0; token < vocabulary; token++) {
                int t = token;
                if (IntStream.of(allowed).noneMatch(a -> a == t)) {
                    logits[offset + token] = Float.NEGATIVE_INFINITY;
                }
            }
        }

        @Override
        public void accept(int token) {
            seen.add(token);
        }

        @Override
        public boolean complete() {
            return seen.size() >= length;
        }
    }

    private static SamplingParams params(float temperature, int topK, float topP, float minP, Long seed) {
        return new SamplingParams(temperature, topK, topP, minP, seed, 16, List.of());
    }

    private static List<Integer> draws(SamplingParams params, float[] logits) {
        Sampler sampler = new Sampler(params);
        return IntStream.range(0, 200).mapToObj(i -> sampler.sample(logits, 0, logits.length)).toList();
    }
}
