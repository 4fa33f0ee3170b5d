package dev.hanul.engine.bench;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.EngineStats;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The serving engine under load, as a Markdown report for docs/benchmarks.md:
 * <ol>
 *   <li>aggregate decode tokens/s with 1, 4, 8, 16 and 32 sequences decoding together (each with a random
 *       128-token prompt, greedy, no early stop), measured over the window where all of them are decoding;</li>
 *   <li>time to first token and inter-token latency percentiles under Poisson arrivals;</li>
 *   <li>KV slots allocated but unused, at steady state with 32 sequences of random lengths.</li>
 * </ol>
 * Usage: {@code ServingBenchmark [--model FILE] [--threads N] [--decode N] [--rate R] [--requests N]}; without a
 * model it synthesizes SmolLM2-135M's shape in Q8_0 under data/bench.
 */
public final class ServingBenchmark {

    static final int PROMPT = 128;
    private static final int[] CONCURRENCY = {1, 4, 8, 16, 32};

    private ServingBenchmark() {
    }

    /** Token arrival times of one request, in nanoseconds. */
    private static final class Timeline implements Flow.Subscriber<GenerationEvent> {
        final long submitted = System.nanoTime();
        final List<Long> tokens = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        long finished;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(GenerationEvent event) {
            long now = System.nanoTime();
            if (event instanceof GenerationEvent.Token) {
                tokens.add(now);
            } else {
                finished = now;
            }
        }

        @Override
        public void onError(Throwable throwable) {
            throwable.printStackTrace();
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        void await() throws InterruptedException {
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a benchmark request did not finish");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        int decode = Integer.parseInt(options.getOrDefault("decode", "128"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "2"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "64"));
        Path model = options.containsKey("model") ? Path.of(options.get("model")) : synthesized();

        EngineConfig config = new EngineConfig(1L << 30, 16, 32, 1024, 512, 256, threads);
        System.out.printf("## Serving engine, %s, %d threads of %d cores, Java %s%n%n", LocalDate.now(), threads,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("Model: %s. %d-token random prompts, greedy, %d tokens each, no early stop. %s%n%n",
                model.getFileName(), PROMPT, decode, config);
        try (InferenceEngine engine = InferenceEngine.open(model, config)) {
            int vocabulary = engine.modelConfig().vocabularySize();
            SplittableRandom random = new SplittableRandom(1);
            decodeRound(engine, random, vocabulary, 4, 32); // warm up the JIT
            System.out.println("| sequences | decode t/s (aggregate) | per sequence | vs 1 sequence |");
            System.out.println("|---|---|---|---|");
            double single = 0;
            for (int sequences : CONCURRENCY) {
                double tokensPerSecond = decodeRound(engine, random, vocabulary, sequences, decode);
                single = sequences == 1 ? tokensPerSecond : single;
                System.out.printf("| %d | %.1f | %.1f | %.2fx |%n", sequences, tokensPerSecond,
                        tokensPerSecond / sequences, tokensPerSecond / single);
            }
            System.out.println();
            poisson(engine, random, vocabulary, rate, requests, decode);
            waste(engine, random, vocabulary);
        }
    }

    /**
     * Aggregate decode tokens per second of {@code sequences} greedy requests (128-token random prompts, {@code decode}
     * tokens each) decoding together on {@code engine}; {@code bench compare}'s batched figure.
     */
    public static double batchedDecode(InferenceEngine engine, int sequences, int decode)
            throws InterruptedException {
        return decodeRound(engine, new SplittableRandom(sequences), engine.modelConfig().vocabularySize(), sequences,
                decode);
    }

    /** Decode tokens per second while all {@code sequences} decode together. */
    private static double decodeRound(InferenceEngine engine, SplittableRandom random, int vocabulary, int sequences,
                                      int decode) throws InterruptedException {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(decode).ignoreEos(true).build();
        List<Timeline> timelines = new ArrayList<>();
        for (int i = 0; i < sequences; i++) {
            Timeline timeline = new Timeline();
            engine.submit(GenerationRequest.of(random.ints(PROMPT, 0, vocabulary).toArray(), params))
                    .subscribe(timeline);
            timelines.add(timeline);
        }
        for (Timeline timeline : timelines) {
            timeline.await();
        }
        // The window in which every sequence is decoding: after the last first token, before the first last one.
        long start = timelines.stream().mapToLong(t -> t.tokens.getFirst()).max().orElseThrow();
        long end = timelines.stream().mapToLong(t -> t.tokens.getLast()).min().orElseThrow();
        long counted = timelines.stream()
                .mapToLong(t -> t.tokens.stream().filter(time -> time > start && time <= end).count()).sum();
        return counted / ((end - start) / 1e9);
    }

    private static void poisson(InferenceEngine engine, SplittableRandom random, int vocabulary, double rate,
                                int requests, int decode) throws InterruptedException {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(decode).ignoreEos(true).build();
        List<Timeline> timelines = new ArrayList<>();
        AtomicLong maxRunning = new AtomicLong();
        long next = System.nanoTime();
        long began = next;
        for (int i = 0; i < requests; i++) {
            next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, 5_000_000));
                maxRunning.accumulateAndGet(engine.stats().running(), Math::max);
            }
            Timeline timeline = new Timeline();
            engine.submit(GenerationRequest.of(random.ints(PROMPT, 0, vocabulary).toArray(), params))
                    .subscribe(timeline);
            timelines.add(timeline);
        }
        for (Timeline timeline : timelines) {
            timeline.await();
        }
        double seconds = (timelines.stream().mapToLong(t -> t.finished).max().orElseThrow() - began) / 1e9;
        double[] ttft = timelines.stream().mapToDouble(t -> (t.tokens.getFirst() - t.submitted) / 1e6).toArray();
        double[] itl = timelines.stream()
                .flatMapToDouble(t -> IntStream.range(1, t.tokens.size())
                        .mapToDouble(i -> (t.tokens.get(i) - t.tokens.get(i - 1)) / 1e6))
                .toArray();
        System.out.printf("Poisson arrivals: %d requests at %.1f/s (%d-token prompts, %d tokens each); "
                        + "%.1f output t/s overall, up to %d running at once.%n%n", requests, rate, PROMPT, decode,
                (double) requests * decode / seconds, maxRunning.get());
        System.out.println("| latency | p50 | p90 | p99 |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| time to first token | %s |%n", percentiles(ttft));
        System.out.printf("| inter-token latency | %s |%n%n", percentiles(itl));
    }

    /** Allocated-but-unused KV slots with 32 sequences of random prompt and output lengths. */
    private static void waste(InferenceEngine engine, SplittableRandom random, int vocabulary)
            throws InterruptedException {
        List<Timeline> timelines = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(64 + random.nextInt(192))
                    .ignoreEos(true).build();
            Timeline timeline = new Timeline();
            engine.submit(GenerationRequest.of(random.ints(64 + random.nextInt(448), 0, vocabulary).toArray(),
                    params)).subscribe(timeline);
            timelines.add(timeline);
        }
        double worst = 0;
        double sum = 0;
        int samples = 0;
        while (timelines.stream().anyMatch(t -> t.done.getCount() > 0)) {
            EngineStats stats = engine.stats();
            if (stats.running() >= 24) {
                worst = Math.max(worst, stats.kvSlotWaste());
                sum += stats.kvSlotWaste();
                samples++;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        System.out.printf("KV memory, 32 sequences of random lengths (64-511 prompt + 64-255 output tokens): "
                + "allocated but unused slots %.1f%% on average, %.1f%% at worst (%d snapshots).%n",
                100 * sum / Math.max(1, samples), 100 * worst, samples);
    }

    private static String percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return "%.1f ms | %.1f ms | %.1f ms".formatted(percentile(sorted, 0.5), percentile(sorted, 0.9),
                percentile(sorted, 0.99));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static Path synthesized() {
        Path file = Path.of("data/bench/smollm2-135m-random-q8_0.gguf");
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SyntheticModel.write(ModelShape.named("smollm2-135m"), GgmlType.Q8_0, 1, null, file);
        }
        return file;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
