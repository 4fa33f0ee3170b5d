package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.kv.BlockManager;
import dev.hanul.engine.sampling.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of random requests (shared prefixes, parallel samples, stop tokens, cancellations from both sides) on a
 * KV pool far too small for them, so that sequences are preempted and recomputed all the time. Afterwards every
 * request has ended properly and the pool is whole again: every block free, every reference count zero.
 */
class EngineStressTest {

    private static final int REQUESTS = 3000;
    /** 2 layers x 16 floats of keys and values x 4 bytes = 256 bytes a token: 48 blocks of 16 tokens. */
    private static final EngineConfig CONFIG = new EngineConfig(48 * 16 * 256, 16, 16, REQUESTS, 64, 32, 2);

    @TempDir
    Path dir;

    @Test
    void everyRequestEndsAndEveryBlockComesBack() {
        Path model = TestEngines.synthesize(dir, TestEngines.TINY, GgmlType.F32);
        SplittableRandom random = new SplittableRandom(2026);
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            int vocabulary = engine.modelConfig().vocabularySize();
            int[][] prefixes = new int[4][];
            for (int i = 0; i < prefixes.length; i++) {
                prefixes[i] = TestEngines.randomTokens(random, 16 + random.nextInt(48), vocabulary);
            }
            List<GenerationRequest> requests = new ArrayList<>();
            List<EventCollector> streams = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                GenerationRequest request = randomRequest(random, prefixes, vocabulary);
                requests.add(request);
                streams.add(EventCollector.of(engine.submit(request)));
                if (random.nextInt(10) == 0) {
                    int victim = random.nextInt(streams.size());
                    if (random.nextBoolean()) {
                        engine.cancel(requests.get(victim).id());
                    } else {
                        streams.get(victim).cancel();
                    }
                }
            }
            int cancelled = 0;
            for (int i = 0; i < REQUESTS; i++) {
                EventCollector events = streams.get(i);
                GenerationRequest request = requests.get(i);
                if (events.cancelledBySubscriber()) {
                    continue; // it asked for nothing more, so its stream just stops
                }
                events.await();
                for (int index = 0; index < request.params().n(); index++) {
                    GenerationEvent.Finished finished = events.finished(index);
                    assertThat(finished.reason()).isNotEqualTo(FinishReason.ERROR);
                    if (finished.reason() == FinishReason.CANCELLED) {
                        cancelled++;
                    } else if (finished.reason() == FinishReason.LENGTH) {
                        assertThat(events.tokens(index)).hasSize(request.params().maxTokens());
                    }
                    assertThat(finished.stopToken() != null)
                            .as("a stop token is named exactly when a token stopped the sample")
                            .isEqualTo(finished.reason() == FinishReason.STOP);
                }
                assertThat(events.usage().promptTokens()).isEqualTo(request.prompt().length);
            }
            awaitIdle(engine);
            EngineStats stats = engine.stats();
            assertThat(cancelled).isPositive();
            assertThat(stats.preemptions()).as("the pool is small enough to preempt").isPositive();
            assertThat(stats.prefixCacheHitRate()).isPositive();
            assertThat(stats.requestsFinished()).isEqualTo(REQUESTS);
            assertThat(stats.running()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.kvBlocksUsed()).isZero();
            BlockManager blocks = engine.blockManager();
            assertThat(blocks.availableBlocks()).isEqualTo(blocks.totalBlocks());
            for (int b = 0; b < blocks.totalBlocks(); b++) {
                assertThat(blocks.references(b)).as("references of block %d", b).isZero();
            }

            // Preemption, recomputation, prefix hits and copy-on-write changed nothing: greedy requests give what
            // they give alone.
            for (int i = 0; i < REQUESTS && i < 400; i++) {
                GenerationRequest request = requests.get(i);
                EventCollector events = streams.get(i);
                if (request.params().greedy() && !events.cancelledBySubscriber()
                        && events.finished(0).reason() == FinishReason.LENGTH) {
                    EventCollector alone = EventCollector.of(engine.submit(GenerationRequest.of(request.prompt(),
                            request.params()))).await();
                    for (int index = 0; index < request.params().n(); index++) {
                        assertThat(alone.tokens(index)).isEqualTo(events.tokens(index));
                    }
                }
            }
        }
    }

    private static GenerationRequest randomRequest(SplittableRandom random, int[][] prefixes, int vocabulary) {
        int[] own = TestEngines.randomTokens(random, 1 + random.nextInt(40), vocabulary);
        int[] prompt = own;
        if (random.nextBoolean()) {
            int[] prefix = prefixes[random.nextInt(prefixes.length)];
            prompt = new int[prefix.length + own.length];
            System.arraycopy(prefix, 0, prompt, 0, prefix.length);
            System.arraycopy(own, 0, prompt, prefix.length, own.length);
        }
        SamplingParams.Builder params = SamplingParams.builder()
                .temperature(random.nextInt(3) == 0 ? 0f : 1f)
                .seed(random.nextLong())
                .maxTokens(1 + random.nextInt(60))
                .n(random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 1);
        if (random.nextInt(4) == 0) {
            params.stopTokenIds(List.of(random.nextInt(vocabulary)));
        }
        return GenerationRequest.of(prompt, params.build());
    }

    /** Subscriber cancellations reach the engine a moment later; wait until it has handled them all. */
    private static void awaitIdle(InferenceEngine engine) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (engine.stats().requestsFinished() < REQUESTS && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
