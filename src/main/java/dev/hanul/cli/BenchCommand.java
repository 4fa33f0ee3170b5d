package dev.hanul.cli;

import dev.hanul.engine.backend.cpu.KernelBenchmark;
import dev.hanul.engine.backend.cpu.MatmulPrecision;
import dev.hanul.engine.bench.ConstrainedDecodingBenchmark;
import dev.hanul.engine.bench.InferenceBenchmark;
import dev.hanul.engine.bench.LlamaCppComparison;
import dev.hanul.engine.bench.MemoryBandwidth;
import dev.hanul.engine.bench.ServingBenchmark;
import dev.hanul.engine.bench.TrainingBenchmark;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import dev.hanul.index.bench.IndexBenchmark;
import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.inference.bench.OverloadBenchmark;
import dev.hanul.ingest.bench.IngestBenchmark;
import dev.hanul.rerank.CrossEncoder;
import dev.hanul.retrieval.bench.RetrievalBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hanul bench}: prefill and decode speed on the CPU, next to this machine's memory bandwidth. By default it
 * measures SmolLM2-135M's exact shape synthesized in Q8_0 and Q4_0, plus the real Q4_1 model when present, with 1
 * and 2 threads; the output is a Markdown table for docs/benchmarks.md.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prefill/decode tokens per second and the memory bandwidth decoding achieves.",
        subcommands = {BenchCommand.Index.class, BenchCommand.Serving.class, BenchCommand.Load.class, BenchCommand.Overload.class,
                BenchCommand.Ingest.class, BenchCommand.Retrieval.class, BenchCommand.Compare.class,
                BenchCommand.Kernels.class, BenchCommand.Constrained.class, BenchCommand.Training.class,
                QaBenchCommand.class, StoresBenchCommand.class, MonitoringBenchCommand.class})
final class BenchCommand implements Callable<Integer> {

    /** {@code hanul bench index}: HNSW recall and queries/s of the vector index. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Recall@10 and queries/s of the vector index on siftsmall and on clustered 384-d vectors "
                    + "with a 10%-selective filter.")
    static final class Index implements Callable<Integer> {

        @Option(names = "--data", defaultValue = "../shared/data",
                description = "Directory holding siftsmall/ (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--vectors", defaultValue = "100000",
                description = "Clustered vectors to index (default: ${DEFAULT-VALUE}).")
        int vectors;

        @Option(names = "--queries", defaultValue = "200", description = "Queries (default: ${DEFAULT-VALUE}).")
        int queries;

        @Override
        public Integer call() throws Exception {
            IndexBenchmark.main(new String[] {"--data", data.toString(), "--vectors", Integer.toString(vectors),
                    "--queries", Integer.toString(queries)});
            return 0;
        }
    }

    /** {@code hanul bench compare}: Hanul and llama.cpp on the same files, alternately, as ratios. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Prefill and decode tokens/s of Hanul's CPU backend and of a llama.cpp build (its "
                    + "llama-bench) on the same GGUF files and threads, run alternately; prints each round's ratio "
                    + "and the median.")
    static final class Compare implements Callable<Integer> {

        @Option(names = "--llama-bench", required = true, paramLabel = "PATH",
                description = "The llama-bench executable of the llama.cpp build to compare with.")
        Path llamaBench;

        @Option(names = "--model", paramLabel = "FILE", required = true,
                description = "GGUF files both can load (repeatable; synthesized ones need --tokenizer-from).")
        List<Path> models;

        @Option(names = "--threads", defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--prompt-tokens", defaultValue = "128",
                description = "Prompt length (default: ${DEFAULT-VALUE}).")
        int promptTokens;

        @Option(names = "--decode-tokens", defaultValue = "128",
                description = "Tokens to decode (default: ${DEFAULT-VALUE}).")
        int decodeTokens;

        @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--matmul", defaultValue = "INT8",
                description = "Hanul's products: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        MatmulPrecision matmul;

        @Option(names = "--llama-batched-bench", paramLabel = "PATH",
                description = "llama.cpp's llama-batched-bench: adds aggregate decode with --sequences sequences "
                        + "(Hanul's serving engine against llama.cpp's S_TG).")
        Path llamaBatchedBench;

        @Option(names = "--sequences", defaultValue = "16",
                description = "Sequences decoding together in the batched run (default: ${DEFAULT-VALUE}).")
        int sequences;

        @Option(names = "--llama-arg", paramLabel = "ARG",
                description = "Extra llama-bench argument (repeatable), e.g. --llama-arg=--repack --llama-arg=0.")
        List<String> llamaArgs = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("## Hanul (%s products) vs llama.cpp, %s, %d threads, %d-token prompt, %d decoded tokens, "
                    + "%d rounds%n%n", matmul, LocalDate.now(), threads, promptTokens, decodeTokens, rounds);
            var results = LlamaCppComparison.run(llamaBench, llamaBatchedBench, sequences, models, threads,
                    promptTokens, decodeTokens, rounds, matmul, llamaArgs, out);
            out.println();
            LlamaCppComparison.print(results, out);
            return 0;
        }
    }

    /** {@code hanul bench kernels}: each matrix kernel alone on one thread, float and int8 side by side. */
    @Command(name = "kernels", mixinStandardHelpOptions = true,
            description = "GFLOP/s and weight GB/s of the CPU matrix kernels (float and int8 products) on one "
                    + "thread, next to the machine's memory bandwidth.")
    static final class Kernels implements Callable<Integer> {

        @Option(names = "--types", split = ",", defaultValue = "Q8_0,Q4_0,Q4_1",
                description = "Weight types (default: ${DEFAULT-VALUE}).")
        List<GgmlType> types;

        @Option(names = "--shape", split = "x", defaultValue = "1536x576",
                description = "Rows x columns (default: ${DEFAULT-VALUE}, SmolLM2-135M's gate/up).")
        List<Integer> shape;

        @Option(names = "--tokens", split = ",", defaultValue = "1,16",
                description = "Tokens per call (default: ${DEFAULT-VALUE}).")
        int[] tokens;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("## CPU kernels, %s; memory read bandwidth, 1 thread: %.1f GB/s%n%n", LocalDate.now(),
                    MemoryBandwidth.measure(1, 1L << 30, 5) / 1e9);
            KernelBenchmark.print(KernelBenchmark.run(types, shape.get(0), shape.get(1), tokens, 1.0), out);
            return 0;
        }
    }

    /** {@code hanul bench training}: LoRA fine-tuning tokens/s, forward and backward, on the CPU. */
    @Command(name = "training", mixinStandardHelpOptions = true,
            description = "LoRA training tokens/s (forward, backward and AdamW update) over random sequences, every "
                    + "token predicted, rank R on all seven matrices of every layer. Compare with "
                    + "scripts/bench-training-torch.py (PyTorch + PEFT on the same shape).")
    static final class Training implements Callable<Integer> {

        @Option(names = "--model", defaultValue = "models/SmolLM2-135M-Instruct.Q4_1.gguf", paramLabel = "FILE",
                description = "Model (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--sequence-length", defaultValue = "128",
                description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
        int sequenceLength;

        @Option(names = "--batch", defaultValue = "1", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", defaultValue = "4",
                description = "Timed steps after one warm-up step (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--rank", defaultValue = "8", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
        int rank;

        @Override
        public Integer call() {
            TrainingBenchmark.main(new String[] {model.toString(), Integer.toString(sequenceLength),
                    Integer.toString(batch), Integer.toString(steps), Integer.toString(rank)});
            return 0;
        }
    }

    /** {@code hanul bench constrained}: decode time per token under each kind of constraint, against none. */
    @Command(name = "constrained", mixinStandardHelpOptions = true,
            description = "Decode ms/token unconstrained and under json_object, json_schema and regex constraints, "
                    + "taking turns round after round, with each round's ratio to the unconstrained run.")
    static final class Constrained implements Callable<Integer> {

        @Option(names = "--model", defaultValue = "models/SmolLM2-135M-Instruct.Q4_1.gguf", paramLabel = "FILE",
                description = "Model (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--threads", defaultValue = "2", description = "CPU threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--rounds", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--max-tokens", defaultValue = "96",
                description = "Most tokens per answer (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Override
        public Integer call() throws Exception {
            ConstrainedDecodingBenchmark.main(new String[] {model.toString(), Integer.toString(threads),
                    Integer.toString(rounds), Integer.toString(maxTokens)});
            return 0;
        }
    }

    /** {@code hanul bench serving}: the serving engine's throughput by concurrency and its latency under load. */
    @Command(name = "serving", mixinStandardHelpOptions = true,
            description = "Aggregate decode tokens/s with 1-32 concurrent sequences, TTFT and inter-token latency "
                    + "percentiles under Poisson arrivals, and KV memory left unused.")
    static final class Serving implements Callable<Integer> {

        @Option(names = "--model", paramLabel = "FILE",
                description = "Model to serve (default: SmolLM2-135M's shape synthesized in Q8_0 under data/bench).")
        Path model;

        @Option(names = "--threads", defaultValue = "2", description = "CPU threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--decode-tokens", defaultValue = "128",
                description = "Tokens each request generates (default: ${DEFAULT-VALUE}).")
        int decode;

        @Option(names = "--rate", defaultValue = "2", description = "Poisson arrivals per second "
                + "(default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--requests", defaultValue = "64",
                description = "Requests in the latency run (default: ${DEFAULT-VALUE}).")
        int requests;

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>(List.of("--threads", Integer.toString(threads), "--decode",
                    Integer.toString(decode), "--rate", Double.toString(rate), "--requests",
                    Integer.toString(requests)));
            if (model != null) {
                args.addAll(List.of("--model", model.toString()));
            }
            ServingBenchmark.main(args.toArray(String[]::new));
            return 0;
        }
    }

    /**
     * {@code hanul bench load}: a running service under concurrent streaming requests, measured from the client side,
     * as users feel it.
     */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Concurrent streaming requests against a running service: requests ok/failed, time to "
                    + "first token and inter-token latency percentiles, output tokens/s.")
    static final class Load implements Callable<Integer> {

        @Option(names = "--url", defaultValue = "http://localhost:8080",
                description = "The service (default: ${DEFAULT-VALUE}).")
        URI url;

        @Option(names = "--api", defaultValue = "openai",
                description = "Wire format: openai (/v1/chat/completions) or tgi (/generate_stream) "
                        + "(default: ${DEFAULT-VALUE}).")
        StreamingApi api;

        @Option(names = "--concurrency", defaultValue = "50",
                description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--requests", description = "Requests in all (default: twice the concurrency).")
        Integer requests;

        @Option(names = "--max-tokens", defaultValue = "128",
                description = "Tokens each request asks for (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = "--prompt", defaultValue = "Write a short story about a lighthouse keeper and a storm.",
                description = "The prompt (the user message for openai) (default: ${DEFAULT-VALUE}).")
        String prompt;

        @Option(names = "--model", description = "The model field of openai requests (default: none sent; the "
                + "service answers with the model it serves).")
        String model;

        @Option(names = "--timeout", defaultValue = "PT10M",
                description = "Longest a request may take (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Mixin
        ApiKeyOption apiKey;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            int total = requests != null ? requests : 2 * concurrency;
            if (concurrency < 1 || total < 1 || maxTokens < 1) {
                throw new IllegalArgumentException("--concurrency, --requests and --max-tokens must be at least 1");
            }
            var generator = new LoadGenerator(api, url, model, prompt, maxTokens, timeout, apiKey.key);
            long start = System.nanoTime();
            List<LoadOutcome> outcomes = generator.run(concurrency, total);
            var report = new LoadReport(outcomes, (System.nanoTime() - start) / 1e9);
            report.print(spec.commandLine().getOut(), "Load on %s, %s: %d requests, %d concurrent, up to %d tokens each"
                    .formatted(api.endpoint(url), LocalDate.now(), total, concurrency, maxTokens));
            return report.failed() == 0 ? 0 : 1;
        }
    }

    /**
     * {@code hanul bench overload}: five times the engine's capacity on loopback; what is beyond it must be shed with
     * Retry-After while health answers fast, and nothing may be left behind.
     */
    @Command(name = "overload", mixinStandardHelpOptions = true,
            description = "Overload on loopback against a service started in this JVM: FACTOR times the engine's "
                    + "capacity (running + waiting) as clients sending back to back, in rounds. Prints what was "
                    + "completed and shed (429/503, with or without Retry-After), health probe latencies, KV blocks "
                    + "in use and the heap after GC after each round; exit status 1 when a check fails.")
    static final class Overload implements Callable<Integer> {

        @Option(names = "--model", paramLabel = "FILE", required = true, description = "A GGUF model file.")
        Path model;

        @Option(names = "--running", defaultValue = "4",
                description = "hanul.model.max-running-sequences (default: ${DEFAULT-VALUE}).")
        int running;

        @Option(names = "--waiting", defaultValue = "4",
                description = "hanul.model.max-waiting (default: ${DEFAULT-VALUE}).")
        int waiting;

        @Option(names = "--factor", defaultValue = "5",
                description = "Clients per place of capacity (default: ${DEFAULT-VALUE}).")
        int factor;

        @Option(names = "--round", defaultValue = "PT20S", description = "Length of a round (default: ${DEFAULT-VALUE}).")
        Duration round;

        @Option(names = "--rounds", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--max-tokens", defaultValue = "64",
                description = "Tokens each request asks for (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = "--threads", defaultValue = "1", description = "Engine threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--management-port", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Serve the probes on a management port of their own (management.server.port), as an "
                        + "orchestrator's probes should be; --no-management-port probes the API's port (default: "
                        + "${DEFAULT-VALUE}).")
        boolean managementPort;

        @Option(names = "--work-dir", defaultValue = "data/bench/overload",
                description = "The service's data directory; emptied first and removed after (default: "
                        + "${DEFAULT-VALUE}).")
        Path workDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (running < 1 || waiting < 0 || factor < 1 || rounds < 1 || maxTokens < 1 || threads < 1) {
                throw new IllegalArgumentException("--running, --factor, --rounds, --max-tokens and --threads must "
                        + "be at least 1, --waiting at least 0");
            }
            return OverloadBenchmark.run(model, running, waiting, factor, round, rounds, maxTokens, threads,
                    managementPort, workDir, spec.commandLine().getOut()) ? 0 : 1;
        }
    }

    /** {@code hanul bench ingest}: documents/s, chunks/s and where the time goes, through the service's API. */
    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Ingestion throughput (documents/s, chunks/s, the share of time spent embedding) of a "
                    + "service started in this JVM, on real-sized English and Korean documents made from this "
                    + "machine's documentation and message catalogs.")
    static final class Ingest implements Callable<Integer> {

        @Option(names = "--documents", defaultValue = "300",
                description = "Documents of 2-20 KB (default: ${DEFAULT-VALUE}).")
        int documents;

        @Option(names = "--workers", defaultValue = "2",
                description = "hanul.ingest.workers (default: ${DEFAULT-VALUE}, the service's default).")
        int workers;

        @Option(names = "--work-dir", defaultValue = "data/bench/ingest",
                description = "Where the corpus and the service's data go; emptied first (default: ${DEFAULT-VALUE}).")
        Path workDir;

        @Option(names = "--embedding-model", defaultValue = "multilingual-e5-small",
                description = "hanul.embedding.model: multilingual-e5-small or all-MiniLM-L6-v2 "
                        + "(default: ${DEFAULT-VALUE}).")
        String embeddingModel;

        @Option(names = "--embedding-path", defaultValue = "",
                description = "hanul.embedding.path: the model's ONNX file (tokenizer.json beside it); needed "
                        + "unless the model is bundled, since the service starts on a fresh data directory.")
        String embeddingPath;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            IngestBenchmark.run(documents, workers, embeddingModel, embeddingPath, workDir,
                    spec.commandLine().getOut());
            return 0;
        }
    }

    /** {@code hanul bench retrieval}: Recall@1, Recall@10 and nDCG@10 per search mode on a public test set. */
    @Command(name = "retrieval", mixinStandardHelpOptions = true,
            description = "Retrieval quality (Recall@1, Recall@10, nDCG@10) of BM25, vector and hybrid search, "
                    + "optionally reranked, on a BEIR directory (corpus.jsonl, queries.jsonl, qrels/test.tsv) or a "
                    + "SQuAD-format file (KorQuAD); with --solr, the same chunks in a SolrCloud collection too.")
    static final class Retrieval implements Callable<Integer> {

        @Parameters(paramLabel = "SET", description = "A BEIR directory or a SQuAD-format JSON file.")
        Path set;

        @Option(names = "--queries", defaultValue = "1000",
                description = "Queries to run, a fixed sample when the set has more (default: ${DEFAULT-VALUE}).")
        int queries;

        @Option(names = "--embedding-model", defaultValue = "multilingual-e5-small",
                description = "multilingual-e5-small or all-MiniLM-L6-v2 (default: ${DEFAULT-VALUE}).")
        String embeddingModel;

        @Option(names = "--embedding-path", defaultValue = "",
                description = "The model's ONNX file (tokenizer.json beside it); needed unless the model is bundled.")
        String embeddingPath;

        @Option(names = "--work-dir", defaultValue = "data/bench/retrieval",
                description = "Where the index and its chunks go; emptied first (default: ${DEFAULT-VALUE}).")
        Path workDir;

        @Option(names = "--reuse-index",
                description = "Search the index a former run of the same set and model left in --work-dir.")
        boolean reuseIndex;

        @Option(names = "--rerank-path", defaultValue = "",
                description = "The reranker's ONNX file (tokenizer.json beside it): adds the rerank modes.")
        String rerankPath;

        @Option(names = "--rerank-candidates", defaultValue = "50",
                description = "Chunk hits the reranker reorders per query (default: ${DEFAULT-VALUE}).")
        int rerankCandidates;

        @Option(names = "--rerank-modes", split = ",", defaultValue = "hybrid,bm25,hybrid-rrf",
                description = "Which retrieval feeds the reranker, in the order to run: hybrid (standard scores, the "
                        + "service's default), bm25, hybrid-rrf, hybrid-blend (hybrid's candidates ordered by the "
                        + "reranker's and the fused standard scores summed) (default: ${DEFAULT-VALUE}).")
        List<String> rerankModes;

        @Option(names = "--solr", paramLabel = "URL[,URL...]", split = ",",
                description = "Solr node URLs (http://host:8983/solr): also load the same chunks into a SolrCloud "
                        + "collection (2 shards x 2 replicas) and report nDCG@10 of both backends.")
        List<URI> solr;

        @Option(names = "--solr-collection", defaultValue = "hanul_bench_retrieval",
                description = "The SolrCloud collection for --solr (default: ${DEFAULT-VALUE}).")
        String solrCollection;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var properties = new EmbeddingProperties(embeddingModel, embeddingPath, true, 0);
            SolrCloudConfig solrConfig = solr == null || solr.isEmpty() ? null
                    : SolrCloudConfig.of(solr).withCollection(solrCollection).withLayout(2, 2);
            try (Embedder embedder = properties.spec().bundled() ? Embedder.load(properties)
                    : Embedder.load(properties, Path.of(embeddingPath));
                 CrossEncoder reranker = rerankPath.isBlank() ? null : CrossEncoder.load(Path.of(rerankPath), 0)) {
                RetrievalBenchmark.run(set, embedder, new RetrievalBenchmark.Settings(queries, reranker,
                        rerankCandidates, rerankModes, 200, 30, workDir, reuseIndex, solrConfig),
                        spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Option(names = "--model", paramLabel = "FILE", description = "Models to measure (repeatable); "
            + "default: synthesized --shape models in each --type, plus models/SmolLM2-135M-Instruct.Q4_1.gguf.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--shape", defaultValue = "smollm2-135m", description = "Shape to synthesize (default: "
            + "${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--types", split = ",", defaultValue = "Q8_0,Q4_0",
            description = "Weight types to synthesize (default: ${DEFAULT-VALUE}).")
    List<GgmlType> types;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--matmul", split = ",", defaultValue = "INT8,FLOAT",
            description = "Products to measure: int8 activations and/or float (default: ${DEFAULT-VALUE}).")
    List<MatmulPrecision> precisions;

    @Option(names = "--decode-tokens", defaultValue = "128",
            description = "Tokens to decode (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--work-dir", defaultValue = "data/bench",
            description = "Where synthesized models are kept between runs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("## CPU inference, %s, %d cores available, Java %s%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.println("| threads | memory read bandwidth |");
        out.println("|---|---|");
        double[] bandwidth = new double[threads.size()];
        for (int i = 0; i < threads.size(); i++) {
            bandwidth[i] = MemoryBandwidth.measure(threads.get(i), 1L << 30, 5);
            out.printf("| %d | %.1f GB/s |%n", threads.get(i), bandwidth[i] / 1e9);
            out.flush();
        }
        out.printf("%n| model | weights | products | threads | prefill t/s (%d tokens) | decode t/s (%d tokens) "
                + "| decode bandwidth | share of machine |%n", promptTokens, decodeTokens);
        out.println("|---|---|---|---|---|---|---|---|");
        for (Path model : modelsToMeasure()) {
            for (int i = 0; i < threads.size(); i++) {
                for (MatmulPrecision precision : precisions) {
                    InferenceBenchmark.Result r = InferenceBenchmark.run(model, threads.get(i), promptTokens,
                            decodeTokens, 128, precision);
                    out.printf("| %s | %s, %.1f MB | %s | %d | %.1f | %.1f | %.1f GB/s | %.0f%% |%n", r.model(),
                            r.weightType(), r.weightBytes() / 1e6, precision, r.threads(),
                            r.prefillTokensPerSecond(), r.decodeTokensPerSecond(), r.decodeBandwidth() / 1e9,
                            100 * r.decodeBandwidth() / bandwidth[i]);
                    out.flush();
                }
            }
        }
        return 0;
    }

    private List<Path> modelsToMeasure() {
        if (!models.isEmpty()) {
            return models;
        }
        List<Path> chosen = new ArrayList<>();
        ModelShape modelShape = ModelShape.named(shape);
        for (GgmlType type : types) {
            Path file = workDir.resolve("%s-random-%s.gguf".formatted(shape, type.name().toLowerCase()));
            if (!Files.exists(file)) {
                createDirectories(workDir);
                SyntheticModel.write(modelShape, type, 1, null, file);
            }
            chosen.add(file);
        }
        Path real = Path.of("models/SmolLM2-135M-Instruct.Q4_1.gguf");
        if (Files.exists(real)) {
            chosen.add(real);
        }
        return chosen;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir + ": " + e.getMessage(), e);
        }
    }
}
