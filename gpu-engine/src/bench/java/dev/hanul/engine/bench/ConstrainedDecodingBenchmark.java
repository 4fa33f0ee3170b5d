package dev.hanul.engine.bench;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.TokenConstraint;
import dev.hanul.engine.sampling.json.AutomatonGrammar;
import dev.hanul.engine.sampling.json.JsonObjectGrammar;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * What constrained decoding costs per generated token in the engine, model included: the same prompt decoded
 * unconstrained and under each kind of constraint, the kinds taking turns round after round so that the machine's
 * load falls on all alike, and each round's decode time per token (first token to last, so prefill is left out)
 * compared with the unconstrained run of the same round. Grammars are built once and shared by the rounds, as the
 * service keeps them for repeated schemas (their compile time is printed apart). Run through
 * {@code bin/hanul bench constrained}; prints Markdown for docs/benchmarks.md.
 */
public final class ConstrainedDecodingBenchmark {

    static final String PROMPT = "<|im_start|>user\nDescribe a city as JSON.<|im_end|>\n<|im_start|>assistant\n";
    /** A schema whose answers run long: free text in a string the model may end when it likes, and a list. */
    static final String SCHEMA = """
            {"type": "object", "properties": {"city": {"type": "string", "maxLength": 40},
             "population": {"type": "integer", "minimum": 0}, "description": {"type": "string"},
             "sights": {"type": "array", "items": {"type": "string", "maxLength": 60}}},
             "required": ["city", "population", "description", "sights"], "additionalProperties": false}""";
    static final String REGEX = "[A-Z][a-z]+( [a-z]+){4,200}\\.";

    private ConstrainedDecodingBenchmark() {
    }

    /** Token arrival times of one request. */
    private static final class Timeline implements Flow.Subscriber<GenerationEvent> {
        final List<Long> tokens = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(GenerationEvent event) {
            if (event instanceof GenerationEvent.Token) {
                tokens.add(System.nanoTime());
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

        /** Decode milliseconds per token after the first; NaN when fewer than 2 tokens came. */
        double msPerToken() throws InterruptedException {
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a benchmark request did not finish");
            }
            return tokens.size() < 2 ? Double.NaN
                    : (tokens.getLast() - tokens.getFirst()) / 1e6 / (tokens.size() - 1);
        }
    }

    /** {@code MODEL.gguf [threads] [rounds] [max tokens]} */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int maxTokens = args.length > 3 ? Integer.parseInt(args[3]) : 96;
        EngineConfig config = new EngineConfig(256L << 20, 16, 4, 16, 512, 256, threads);
        try (InferenceEngine engine = InferenceEngine.open(model, config)) {
            Tokenizer tokenizer = engine.tokenizer();
            Map<String, TokenConstraint.Factory> kinds = new LinkedHashMap<>();
            kinds.put("none", null);
            long start = System.nanoTime();
            kinds.put("json_object (recognizer)", new JsonObjectGrammar(tokenizer));
            double objectMs = (System.nanoTime() - start) / 1e6;
            start = System.nanoTime();
            AutomatonGrammar schema = AutomatonGrammar.jsonSchema(tokenizer, SCHEMA);
            double schemaMs = (System.nanoTime() - start) / 1e6;
            kinds.put("json_schema (automaton, %d states)".formatted(schema.states()), schema);
            start = System.nanoTime();
            AutomatonGrammar regex = AutomatonGrammar.regex(tokenizer, REGEX);
            double regexMs = (System.nanoTime() - start) / 1e6;
            kinds.put("regex (automaton, %d states)".formatted(regex.states()), regex);

            System.out.printf("## Constrained decoding per token, %s, %s, %d threads of %d cores, Java %s%n%n",
                    model.getFileName(), LocalDate.now(), threads, Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            System.out.printf("Built once: json_object %.0f ms, json_schema %.0f ms (with the tokenizer's sorted "
                    + "vocabulary index, built by the first automaton), regex %.0f ms. %d rounds after one warm-up, each kind once per round, temperature 1, seed = "
                    + "round, at most %d tokens; decode ms/token from first to last token.%n%n", objectMs, schemaMs,
                    regexMs, rounds, maxTokens);
            int[] prompt = tokenizer.encodePrompt(PROMPT);
            Map<String, List<Double>> msPerToken = new LinkedHashMap<>();
            Map<String, List<Double>> ratios = new LinkedHashMap<>();
            Map<String, List<Integer>> lengths = new LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                double none = Double.NaN;
                for (Map.Entry<String, TokenConstraint.Factory> kind : kinds.entrySet()) {
                    Timeline timeline = new Timeline();
                    SamplingParams params = SamplingParams.builder().maxTokens(maxTokens).temperature(1f)
                            .seed((long) round).ignoreEos(kind.getValue() == null).constraint(kind.getValue())
                            .build();
                    engine.submit(GenerationRequest.of(prompt, params)).subscribe(timeline);
                    double ms = timeline.msPerToken();
                    if (round == 0) {
                        continue; // warm-up: the JIT, and every grammar's first states
                    }
                    none = kind.getValue() == null ? ms : none;
                    msPerToken.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(ms);
                    ratios.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(ms / none);
                    lengths.computeIfAbsent(kind.getKey(), k -> new ArrayList<>()).add(timeline.tokens.size());
                }
            }
            System.out.println("| constraint | tokens per answer (median) | decode ms/token (median) | "
                    + "vs none, same round (median) |");
            System.out.println("|---|---|---|---|");
            for (String kind : kinds.keySet()) {
                System.out.printf("| %s | %d | %.2f | %.3fx |%n", kind,
                        (int) median(lengths.get(kind).stream().mapToDouble(Integer::doubleValue).toArray()),
                        median(msPerToken.get(kind).stream().mapToDouble(Double::doubleValue).toArray()),
                        median(ratios.get(kind).stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
