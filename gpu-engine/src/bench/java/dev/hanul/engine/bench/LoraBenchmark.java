package dev.hanul.engine.bench;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.model.LoraBatch;
import dev.hanul.engine.synth.SyntheticAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What LoRA adapters cost in decoding: one batch of {@code B} sequences decodes a token each per step, with every row
 * on the base model, every row on one adapter, and the rows spread over four adapters (each adapter's rows one
 * segment, as the engine's runner lays them out). Adapters are random, of rank {@code R}, on all seven matrices of
 * every layer (q, k, v, o, gate, up, down). The three cases run in turns, several rounds, side by side in one process;
 * the best round of each is reported, with its ratio to the base model.
 * Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.hanul.engine.bench.LoraBenchmark MODEL.gguf
 * [threads] [batch] [rank]}; prints Markdown rows for docs/benchmarks.md.
 */
public final class LoraBenchmark {

    private static final int BLOCK = 16;
    private static final int CONTEXT = 64;
    private static final int STEPS = 24;
    private static final int ROUNDS = 5;

    private LoraBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int rank = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        Path dir = Files.createTempDirectory("lora-bench");
        try (GgufFile gguf = GgufFile.open(file); CpuBackend backend = new CpuBackend(threads)) {
            LlamaModel model = LlamaModel.load(gguf, backend);
            List<LoraAdapter> adapters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path out = dir.resolve("adapter" + i + ".gguf");
                SyntheticAdapter.write(model.config(), EnumSet.allOf(LoraTarget.class), rank, rank, 100 + i, out);
                adapters.add(LoraAdapter.load(out, model, "adapter" + i, 1f));
                Files.delete(out);
            }
            int perSequence = (CONTEXT + STEPS + BLOCK) / BLOCK;
            KvStore kv = backend.allocateKv(model.config().blockCount(), batch * perSequence * BLOCK,
                    model.config().kvDim());
            ForwardState state = model.newState(Math.max(batch, CONTEXT), batch);
            prefill(model, state, kv, batch, perSequence);
            LoraBatch none = LoraBatch.NONE;
            LoraBatch one = new LoraBatch(List.of(new LoraBatch.Segment(adapters.getFirst(), 0, batch)));
            List<LoraBatch.Segment> spread = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                spread.add(new LoraBatch.Segment(adapters.get(i), i * batch / 4, (i + 1) * batch / 4 - i * batch / 4));
            }
            LoraBatch four = new LoraBatch(spread);
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            LoraBatch[] cases = {none, one, four};
            for (int round = 0; round < ROUNDS; round++) {
                for (int c = 0; c < cases.length; c++) {
                    best[c] = Math.min(best[c], decode(model, state, kv, batch, perSequence, cases[c]));
                }
            }
            String name = file.getFileName().toString();
            System.out.printf("%s, %s, %d threads: batch of %d sequences decoding at context %d, adapters of rank %d "
                    + "on q/k/v/o/gate/up/down (%,d parameters each)%n", name, model.weightType(), threads, batch,
                    CONTEXT, rank, adapters.getFirst().parameters());
            System.out.println("| model | rows | ms/step | tokens/s | vs base |");
            System.out.println("|---|---|---|---|---|");
            String[] labels = {"all on the base model", "all on 1 adapter", "spread over 4 adapters"};
            for (int c = 0; c < cases.length; c++) {
                System.out.printf("| %s | %s | %.2f | %.1f | %.2fx |%n", name, labels[c], best[c],
                        batch * 1000 / best[c], best[0] / best[c]);
            }
        }
    }

    /** Fills each sequence's first {@code CONTEXT} positions (base model), so decode steps attend over them. */
    private static void prefill(LlamaModel model, ForwardState state, KvStore kv, int batch, int perSequence) {
        SplittableRandom random = new SplittableRandom(1);
        for (int s = 0; s < batch; s++) {
            int[] tokens = random.ints(CONTEXT, 0, model.config().vocabularySize()).toArray();
            int[] positions = new int[CONTEXT];
            int[] slots = new int[CONTEXT];
            int base = s * perSequence * BLOCK;
            Arrays.setAll(positions, i -> i);
            Arrays.setAll(slots, i -> base + i);
            model.forward(state, tokens, new AttentionBatch(positions, slots, new int[CONTEXT],
                    new int[][] {table(s, perSequence)}, BLOCK), kv, new int[] {CONTEXT - 1});
        }
    }

    /** Milliseconds per decode step of the whole batch. */
    private static double decode(LlamaModel model, ForwardState state, KvStore kv, int batch, int perSequence,
                                 LoraBatch lora) {
        int[][] tables = new int[batch][];
        int[] sequenceOf = new int[batch];
        int[] logitRows = new int[batch];
        for (int s = 0; s < batch; s++) {
            tables[s] = table(s, perSequence);
            sequenceOf[s] = s;
            logitRows[s] = s;
        }
        int[] tokens = new SplittableRandom(2).ints(batch, 0, model.config().vocabularySize()).toArray();
        long start = System.nanoTime();
        for (int step = 0; step < STEPS; step++) {
            int[] positions = new int[batch];
            int[] slots = new int[batch];
            for (int s = 0; s < batch; s++) {
                positions[s] = CONTEXT + step;
                slots[s] = s * perSequence * BLOCK + CONTEXT + step;
            }
            float[] logits = model.forward(state, tokens, new AttentionBatch(positions, slots, sequenceOf, tables,
                    BLOCK), kv, logitRows, lora);
            for (int s = 0; s < batch; s++) {
                tokens[s] = Math.floorMod(Float.floatToRawIntBits(logits[s * model.config().vocabularySize()]),
                        model.config().vocabularySize());
            }
        }
        return (System.nanoTime() - start) / 1e6 / STEPS;
    }

    private static int[] table(int sequence, int perSequence) {
        int[] table = new int[perSequence];
        Arrays.setAll(table, i -> sequence * perSequence + i);
        return table;
    }
}
