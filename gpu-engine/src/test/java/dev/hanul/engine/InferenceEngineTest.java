package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.TokenLogprob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's public behaviour on stories260K: text, stopping, parallel samples, cancellation, limits, errors. */
class InferenceEngineTest {

    private static final EngineConfig CONFIG = new EngineConfig(16L << 20, 16, 16, 64, 64, 32, 2);
    private static InferenceEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), CONFIG);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void greedyFromBosGivesThePublishedTextAndTokens() throws IOException {
        String expected = Files.readString(TestModels.require(TestModels.STORIES)
                .resolveSibling("expected_greedy_t0.txt"));
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(256).build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params))).await();
        assertThat(events.tokens()).startsWith(403, 407, 261, 378, 432);
        assertThat(events.text(0)).isEqualTo(expected.stripTrailing());
        assertThat(events.usage().promptTokens()).isEqualTo(1);
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(64).stop(List.of("girl"))
                .build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params))).await();
        assertThat(events.finished().reason()).isEqualTo(FinishReason.STOP);
        assertThat(events.finished().stopString()).isEqualTo("girl");
        assertThat(events.finished().stopToken()).isNull();
        assertThat(events.text(0)).isEqualTo("Once upon a time, there was a little ");
    }

    @Test
    void stopTokenIdsEndASampleWithoutAppearingInIt() {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(64)
                .stopTokenIds(List.of(378)).build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params))).await();
        assertThat(events.tokens()).containsExactly(403, 407, 261);
        assertThat(events.finished().reason()).isEqualTo(FinishReason.STOP);
        assertThat(events.finished().stopToken()).isEqualTo(378);
        assertThat(events.finished().stopString()).isNull();
        assertThat(events.usage().completionTokens()).as("the stop token was generated").isEqualTo(4);
    }

    @Test
    void aLengthFinishNamesNoStop() {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(3).build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params))).await();
        assertThat(events.finished().reason()).isEqualTo(FinishReason.LENGTH);
        assertThat(events.finished().stopToken()).isNull();
        assertThat(events.finished().stopString()).isNull();
    }

    @Test
    void parallelSamplesShareThePromptAndEachMatchesItsSeedAlone() {
        int[] prompt = {1, 403, 407, 261, 378, 432, 300, 290, 280, 270, 260, 250, 240, 230, 220, 210, 200, 190, 180};
        SamplingParams four = SamplingParams.builder().temperature(1f).seed(42L).n(4).maxTokens(30)
                .ignoreEos(true).build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(prompt, four))).await();
        List<List<Integer>> samples = new ArrayList<>();
        for (int index = 0; index < 4; index++) {
            assertThat(events.finished(index).reason()).isEqualTo(FinishReason.LENGTH);
            samples.add(events.tokens(index));
            SamplingParams alone = four.toBuilder().n(1).seed(Sampler.seedOf(42L, index)).build();
            EventCollector single = EventCollector.of(engine.submit(GenerationRequest.of(prompt, alone))).await();
            assertThat(samples.get(index)).as("sample %d", index).hasSize(30).isEqualTo(single.tokens());
        }
        assertThat(samples).doesNotHaveDuplicates();
        assertThat(events.usage()).isEqualTo(new Usage(prompt.length, 120, events.usage().cachedPromptTokens()));
    }

    @Test
    void logprobsReportTheSampledTokenAndTheMostLikelyAlternatives() {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(8).logprobs(3).build();
        EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params))).await();
        for (GenerationEvent.Token token : events.tokenEvents()) {
            Logprobs logprobs = token.logprobs();
            assertThat(logprobs.sampled().token()).isEqualTo(token.token());
            assertThat(logprobs.top()).hasSize(3);
            assertThat(logprobs.top().getFirst()).as("greedy picks the most likely").isEqualTo(logprobs.sampled());
            assertThat(logprobs.top()).extracting(TokenLogprob::logprob).isSortedAccordingTo((a, b) -> b.compareTo(a))
                    .allMatch(lp -> lp <= 0);
        }
        SamplingParams none = params.toBuilder().logprobs(null).build();
        assertThat(EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, none))).await()
                .tokenEvents()).allMatch(t -> t.logprobs() == null);
    }

    @Test
    void cancellingFreesTheRequestsBlocks() throws InterruptedException {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(500).ignoreEos(true).build();
        GenerationRequest request = GenerationRequest.of(new int[] {1}, params);
        CountDownLatch started = new CountDownLatch(1);
        EventCollector events = new EventCollector() {
            @Override
            public synchronized void onNext(GenerationEvent event) {
                super.onNext(event);
                started.countDown();
            }
        };
        engine.submit(request).subscribe(events);
        assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(engine.cancel(request.id())).isTrue();
        events.await();
        assertThat(events.finished().reason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(events.tokens().size()).isLessThan(500);
        assertThat(engine.cancel(request.id())).as("finished already").isFalse();
        assertThat(engine.cancel("no-such-request")).isFalse();
    }

    @Test
    void aFullQueueRefusesNewRequestsWithOverloaded() throws InterruptedException {
        EngineConfig oneAtATime = new EngineConfig(16L << 20, 16, 1, 2, 8, 8, 1);
        try (InferenceEngine small = InferenceEngine.open(TestModels.require(TestModels.STORIES), oneAtATime)) {
            SamplingParams longRun = SamplingParams.builder().temperature(0).maxTokens(500).ignoreEos(true).build();
            CountDownLatch running = new CountDownLatch(1);
            small.submit(GenerationRequest.of(new int[] {1}, longRun)).subscribe(new EventCollector() {
                @Override
                public synchronized void onNext(GenerationEvent event) {
                    super.onNext(event);
                    running.countDown();
                }
            });
            assertThat(running.await(1, TimeUnit.MINUTES)).isTrue();
            small.submit(GenerationRequest.of(new int[] {1}, longRun));
            small.submit(GenerationRequest.of(new int[] {1}, longRun));
            assertThatThrownBy(() -> small.submit(GenerationRequest.of(new int[] {1}, longRun)))
                    .isInstanceOf(EngineOverloadedException.class)
                    .hasMessageContaining("overloaded").hasMessageContaining("maxWaiting");
            assertThat(small.stats().requestsRejected()).isEqualTo(1);
            assertThat(small.stats().running()).isEqualTo(1);
        }
    }

    @Test
    void requestsTheEngineCannotServeAreRefusedWithTheReason() {
        SamplingParams params = SamplingParams.builder().maxTokens(100).build();
        assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[500], params)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum context length is 512 tokens").hasMessageContaining("600 tokens");
        assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[] {1, 512}, params)))
                .hasMessageContaining("prompt token 512 (at index 1) is outside the vocabulary of 512");
        assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[] {1}, params.toBuilder().n(17).build())))
                .hasMessageContaining("n = 17").hasMessageContaining("maxRunningSequences");
        assertThatThrownBy(() -> engine.submit(GenerationRequest.of(new int[0], params)))
                .hasMessageContaining("prompt must contain at least one token");
        GenerationRequest request = GenerationRequest.of(new int[] {1}, params.toBuilder().maxTokens(400).build());
        EventCollector first = EventCollector.of(engine.submit(request));
        assertThatThrownBy(() -> engine.submit(request)).hasMessageContaining("already running");
        first.await();
    }

    @Test
    void withoutATokenizerThereIsNoTextAndStopStringsAreRefused() {
        Path model = TestEngines.synthesize(dir, TestEngines.TINY, GgmlType.F32);
        try (InferenceEngine tokensOnly = InferenceEngine.open(model, CONFIG)) {
            assertThat(tokensOnly.tokenizer()).isNull();
            SamplingParams stop = SamplingParams.builder().stop(List.of("end")).build();
            assertThatThrownBy(() -> tokensOnly.submit(GenerationRequest.of(new int[] {1}, stop)))
                    .hasMessageContaining("stop strings need a tokenizer");
            EventCollector events = EventCollector.of(tokensOnly.submit(GenerationRequest.of(new int[] {1},
                    SamplingParams.builder().maxTokens(5).build()))).await();
            assertThat(events.tokenEvents()).hasSize(5).allMatch(t -> t.text().isEmpty());
        }
        assertThatThrownBy(() -> engineClosedSubmit(model)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void theStreamHonorsDemandAndASecondSubscriberIsRefused() throws InterruptedException {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(6).ignoreEos(true).build();
        Flow.Publisher<GenerationEvent> publisher = engine.submit(GenerationRequest.of(new int[] {1}, params));
        List<GenerationEvent> received = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        CountDownLatch one = new CountDownLatch(1);
        CountDownLatch complete = new CountDownLatch(1);
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(1);
            }

            @Override
            public void onNext(GenerationEvent event) {
                received.add(event);
                one.countDown();
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
                complete.countDown();
            }
        });
        assertThat(one.await(1, TimeUnit.MINUTES)).isTrue();
        Thread.sleep(200); // the request finishes meanwhile; without demand nothing more may arrive
        assertThat(received).hasSize(1);
        subscription.get().request(Long.MAX_VALUE);
        assertThat(complete.await(1, TimeUnit.MINUTES)).isTrue();
        assertThat(received).hasSize(7); // six tokens and the finish

        EventCollector second = new EventCollector();
        publisher.subscribe(second);
        assertThatThrownBy(second::await).hasMessageContaining("stream error");
    }

    private void engineClosedSubmit(Path model) {
        InferenceEngine closed = InferenceEngine.open(model, CONFIG);
        closed.close();
        closed.submit(GenerationRequest.of(new int[] {1}, SamplingParams.GREEDY));
    }
}
