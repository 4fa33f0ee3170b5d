package dev.hanul.engine.bench;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.backend.cpu.MatmulPrecision;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hanul's CPU backend and a given llama.cpp build ({@code llama-bench}) on the same GGUF files and threads, run
 * alternately (Hanul first in odd rounds, llama.cpp first in even ones) so that a machine shared with other work
 * slows both alike; what is reported is each round's ratio and their median, never one side's figures from another
 * time. Prefill is a {@code prompt}-token prompt at depth 0; decode is {@code decode} tokens after it (llama-bench's
 * {@code -d} puts its decode at the same depth).
 */
public final class LlamaCppComparison {

    /**
     * One model, one round: tokens per second of both engines; the batched figures (aggregate decode with
     * {@code sequences} sequences) are NaN when not measured.
     */
    public record Round(String model, int round, double hanulPrefill, double llamaPrefill, double hanulDecode,
                        double llamaDecode, double hanulBatched, double llamaBatched) {

        public double batchedRatio() {
            return hanulBatched / llamaBatched;
        }

        public double prefillRatio() {
            return hanulPrefill / llamaPrefill;
        }

        public double decodeRatio() {
            return hanulDecode / llamaDecode;
        }
    }

    private LlamaCppComparison() {
    }

    public static List<Round> run(Path llamaBench, List<Path> models, int threads, int prompt, int decode, int rounds,
                                  MatmulPrecision precision, List<String> llamaArgs, PrintWriter log) {
        return run(llamaBench, null, 0, models, threads, prompt, decode, rounds, precision, llamaArgs, log);
    }

    /**
     * As above, plus, when {@code batchedBench} (llama.cpp's {@code llama-batched-bench}) is given, aggregate decode
     * with {@code sequences} sequences of 128-token prompts: Hanul's serving engine against llama.cpp's
     * {@code S_TG}, in the same alternating order.
     */
    public static List<Round> run(Path llamaBench, Path batchedBench, int sequences, List<Path> models, int threads,
                                  int prompt, int decode, int rounds, MatmulPrecision precision,
                                  List<String> llamaArgs, PrintWriter log) {
        List<Round> results = new ArrayList<>();
        for (Path model : models) {
            // Not counted: the JIT compiles the kernels during the first run, late when the machine is busy.
            InferenceBenchmark.run(model, threads, prompt, Math.min(decode, 32), prompt, precision);
            for (int round = 1; round <= rounds; round++) {
                InferenceBenchmark.Result hanul;
                double[] llama;
                double hanulBatched = Double.NaN;
                double llamaBatched = Double.NaN;
                if (round % 2 == 1) {
                    hanul = InferenceBenchmark.run(model, threads, prompt, decode, prompt, precision);
                    llama = llamaBench(llamaBench, model, threads, prompt, decode, llamaArgs);
                    if (batchedBench != null) {
                        hanulBatched = hanulBatched(model, threads, sequences, decode, precision);
                        llamaBatched = llamaBatched(batchedBench, model, threads, sequences, decode);
                    }
                } else {
                    if (batchedBench != null) {
                        llamaBatched = llamaBatched(batchedBench, model, threads, sequences, decode);
                        hanulBatched = hanulBatched(model, threads, sequences, decode, precision);
                    }
                    llama = llamaBench(llamaBench, model, threads, prompt, decode, llamaArgs);
                    hanul = InferenceBenchmark.run(model, threads, prompt, decode, prompt, precision);
                }
                Round r = new Round(model.getFileName().toString(), round, hanul.prefillTokensPerSecond(), llama[0],
                        hanul.decodeTokensPerSecond(), llama[1], hanulBatched, llamaBatched);
                log.printf("round %d %s: prefill Hanul %.1f llama.cpp %.1f (%.2fx), decode Hanul %.1f llama.cpp %.1f "
                        + "(%.2fx); Hanul's parallel regions per decoded token: %.0f%n", round, r.model(),
                        r.hanulPrefill(), r.llamaPrefill(), r.prefillRatio(), r.hanulDecode(), r.llamaDecode(),
                        r.decodeRatio(), hanul.regionsPerDecodedToken());
                if (batchedBench != null) {
                    log.printf("round %d %s: %d sequences, aggregate decode Hanul %.1f llama.cpp %.1f (%.2fx)%n",
                            round, r.model(), sequences, hanulBatched, llamaBatched, r.batchedRatio());
                }
                log.flush();
                results.add(r);
            }
        }
        return results;
    }

    /** Hanul's serving engine (paged KV cache, continuous batching) with {@code sequences} greedy sequences. */
    private static double hanulBatched(Path model, int threads, int sequences, int decode,
                                       MatmulPrecision precision) {
        EngineConfig config = new EngineConfig(1L << 30, 16, Math.max(sequences, 1), 1024, 512, 256, threads);
        try (GgufFile gguf = GgufFile.open(model); CpuBackend backend = new CpuBackend(threads, precision);
             InferenceEngine engine = new InferenceEngine(LlamaModel.load(gguf, backend), null, config)) {
            return ServingBenchmark.batchedDecode(engine, sequences, decode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during the batched run", e);
        }
    }

    /**
     * llama-batched-bench's aggregate text-generation speed ({@code speed_tg}) for {@code sequences} prompts of
     * {@link ServingBenchmark#PROMPT} tokens, the length Hanul's batched run uses.
     */
    private static double llamaBatched(Path batchedBench, Path model, int threads, int sequences, int decode) {
        int prompt = ServingBenchmark.PROMPT;
        List<String> command = List.of(batchedBench.toString(), "-m", model.toString(), "-t",
                Integer.toString(threads), "-c", Integer.toString(sequences * (prompt + decode) + 16), "-npp",
                Integer.toString(prompt), "-ntg", Integer.toString(decode), "-npl", Integer.toString(sequences),
                "--output-format", "jsonl");
        String output = runTool(batchedBench, command);
        Matcher m = SPEED_TG.matcher(output);
        double speed = Double.NaN;
        while (m.find()) {
            speed = Double.parseDouble(m.group(1));
        }
        if (Double.isNaN(speed)) {
            throw new IllegalStateException("llama-batched-bench printed no speed_tg:\n" + output);
        }
        return speed;
    }

    private static final Pattern SPEED_TG = Pattern.compile("\"speed_tg\":\\s*([0-9.eE+-]+)");

    /** A Markdown table: per model, each round's t/s and ratio, and the median ratios. */
    public static void print(List<Round> rounds, PrintWriter out) {
        out.println("| model | round | prefill t/s Hanul | llama.cpp | ratio | decode t/s Hanul | llama.cpp | ratio "
                + "| batched decode t/s Hanul | llama.cpp | ratio |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> models = rounds.stream().map(Round::model).distinct().toList();
        for (String model : models) {
            List<Round> mine = rounds.stream().filter(r -> r.model().equals(model)).toList();
            for (Round r : mine) {
                out.printf("| %s | %d | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |%n", model,
                        r.round(), r.hanulPrefill(), r.llamaPrefill(), r.prefillRatio(), r.hanulDecode(),
                        r.llamaDecode(), r.decodeRatio(), r.hanulBatched(), r.llamaBatched(), r.batchedRatio());
            }
            out.printf("| %s | median | | | **%.2f** | | | **%.2f** | | | **%.2f** |%n", model,
                    median(mine.stream().mapToDouble(Round::prefillRatio).toArray()),
                    median(mine.stream().mapToDouble(Round::decodeRatio).toArray()),
                    median(mine.stream().mapToDouble(Round::batchedRatio).toArray()));
        }
        out.flush();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Prefill and decode tokens/s from two llama-bench runs (one repetition each, CSV output). */
    private static double[] llamaBench(Path llamaBench, Path model, int threads, int prompt, int decode,
                                       List<String> extra) {
        double prefill = tokensPerSecond(llamaBench, model, threads, extra, "-p", Integer.toString(prompt), "-n", "0");
        double generate = tokensPerSecond(llamaBench, model, threads, extra, "-p", "0", "-n",
                Integer.toString(decode), "-d", Integer.toString(prompt));
        return new double[] {prefill, generate};
    }

    private static double tokensPerSecond(Path llamaBench, Path model, int threads, List<String> extra,
                                          String... test) {
        List<String> command = new ArrayList<>(List.of(llamaBench.toString(), "-m", model.toString(), "-t",
                Integer.toString(threads), "-r", "1", "-o", "csv"));
        command.addAll(Arrays.asList(test));
        command.addAll(extra);
        String output = runTool(llamaBench, command);
        return averageTokensPerSecond(output);
    }

    private static String runTool(Path tool, List<String> command) {
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exit = process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + tool.getFileName(), e);
        }
        if (exit != 0) {
            throw new IllegalStateException("%s exited with %d (command: %s); output:%n%s"
                    .formatted(tool, exit, String.join(" ", command), output));
        }
        return output;
    }

    /** The {@code avg_ts} column of llama-bench's CSV output (one result row). */
    static double averageTokensPerSecond(String csv) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IllegalStateException("llama-bench printed no result row:\n" + csv);
        }
        List<String> header = fields(lines.get(0));
        int column = header.indexOf("avg_ts");
        if (column < 0) {
            throw new IllegalStateException("llama-bench's CSV has no avg_ts column:\n" + csv);
        }
        return Double.parseDouble(fields(lines.get(lines.size() - 1)).get(column));
    }

    /** Fields of one CSV line whose values are double-quoted and hold no commas or quotes themselves. */
    private static List<String> fields(String line) {
        return Arrays.stream(line.split(",", -1)).map(f -> f.strip().replaceAll("^\"|\"$", "")).toList();
    }
}
