package dev.hanul.engine.backend.cuda;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA benchmark that gpu-engine/scripts/gpu-check.sh runs on a GPU machine (after the parity tests): device
 * memory bandwidth by a device-to-device copy, then on synthesized models of SmolLM2-135M's and Llama-3.2-1B's shapes
 * the prefill tokens/s of one 512-token prompt and the decode tokens/s of batches of 1 to 256 sequences (logits of
 * every sequence copied back each step and argmax-sampled on the host, as the engine does), with the weight bandwidth
 * that a batch-1 step achieves. Prints a Markdown table for docs/benchmarks.md.
 * <p>
 * Usage: {@code GpuCheck [--dry-run] [--out DIR]}; {@code --dry-run} uses tiny shapes, for the CPU emulator.
 */
public final class GpuCheck {

    private static final int DECODE_PROMPT = 16;

    private final boolean dry;
    private final Path work;
    private final List<String> table = new ArrayList<>();

    private GpuCheck(boolean dry, Path work) {
        this.dry = dry;
        this.work = work;
    }

    public static void main(String[] args) throws IOException {
        boolean dry = List.of(args).contains("--dry-run");
        int out = List.of(args).indexOf("--out");
        Path dir = out >= 0 && out + 1 < args.length ? Path.of(args[out + 1]) : Path.of(".");
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory("hanul-gpu-check");
        try {
            new GpuCheck(dry, work).run(dir);
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private void run(Path out) throws IOException {
        CudaDriver driver = CudaDriver.load();
        String device;
        try (CudaBackend cuda = CudaBackend.open(driver)) {
            device = cuda.name();
            System.out.println("device: " + device + ", driver " + driver.driverVersion());
            table.add("| what | value |");
            table.add("|---|---|");
            table.add("| device | %s |".formatted(device));
            copyBandwidth(cuda, driver);
        }
        List<String> shapes = dry ? List.of("tiny") : List.of("smollm2-135m", "llama-3.2-1b");
        for (String shape : shapes) {
            benchmark(driver, shape, dry ? new ModelShape(64, 2, 192, 8, 4, 512, 512, 10000f, true)
                    : ModelShape.named(shape));
        }
        String report = "CUDA backend, " + Instant.now() + "\n\n" + String.join("\n", table) + "\n";
        Files.writeString(out.resolve("gpu-benchmark.md"), report);
        System.out.println(report);
    }

    private void copyBandwidth(CudaBackend cuda, CudaDriver driver) {
        long bytes = dry ? 16L << 20 : 2L << 30;
        DevicePool pool = new DevicePool(driver);
        try {
            long from = pool.allocate(bytes, "bandwidth source");
            long to = pool.allocate(bytes, "bandwidth target");
            MemorySegment start = driver.createEvent();
            MemorySegment end = driver.createEvent();
            driver.copyOnDevice(to, from, bytes);
            int reps = dry ? 2 : 10;
            driver.recordEvent(start);
            for (int i = 0; i < reps; i++) {
                driver.copyOnDevice(to, from, bytes);
            }
            driver.recordEvent(end);
            double seconds = driver.elapsedMillis(start, end) / 1e3;
            driver.destroyEvent(start);
            driver.destroyEvent(end);
            double gbs = 2.0 * bytes * reps / seconds / 1e9;   // each byte read once and written once
            System.out.printf("device-to-device copy of %d MiB: %.0f GB/s (read + write)%n", bytes >> 20, gbs);
            table.add("| device-to-device copy, %d MiB (read + write) | %.0f GB/s |".formatted(bytes >> 20, gbs));
        } finally {
            pool.close();
            cuda.synchronize();
        }
    }

    private void benchmark(CudaDriver driver, String label, ModelShape shape) {
        Path file = work.resolve("model-%d.gguf".formatted(shape.dim()));
        long started = System.nanoTime();
        SyntheticModel.write(shape, GgmlType.Q4_1, 7, null, file);
        System.out.printf("%nsynthesized %s, Q4_1, in %.1f s%n", shape, (System.nanoTime() - started) / 1e9);
        try (GgufFile gguf = GgufFile.open(file); CudaBackend cuda = CudaBackend.open(driver)) {
            LlamaModel model = LlamaModel.load(gguf, cuda);
            String name = "%s Q4_1 (%.2f GB of weights)".formatted(label, model.weightBytes() / 1e9);
            prefill(model, name);
            int[] batches = dry ? new int[] {1, 4} : new int[] {1, 2, 4, 8, 16, 32, 64, 128, 256};
            for (int batch : batches) {
                decode(model, batch, name);
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void prefill(LlamaModel model, String name) {
        int length = dry ? 32 : 512;
        int[] tokens = new int[length];
        int[] positions = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = (i * 31 + 7) % model.config().vocabularySize();
            positions[i] = i;
        }
        int blocks = (length + 15) / 16;
        KvStore kv = model.backend().allocateKv(model.config().blockCount(), blocks * 16, model.config().kvDim());
        ForwardState state = model.newState(length, 1);
        int[] identity = AttentionBatch.identityTable(length, 16);
        model.forward(state, tokens, AttentionBatch.ofContiguousSequence(positions, identity, 16), kv,
                new int[] {length - 1});   // warm-up: module load, first-touch
        int reps = dry ? 1 : 5;
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            model.forward(state, tokens, AttentionBatch.ofContiguousSequence(positions, identity, 16), kv,
                    new int[] {length - 1});
        }
        double seconds = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf("%s: prefill of %d tokens: %.0f tokens/s%n", name, length, length / seconds);
        table.add("| %s: prefill, one %d-token prompt | %.0f tokens/s |".formatted(name, length, length / seconds));
    }

    private void decode(LlamaModel model, int batch, String name) {
        int steps = dry ? 2 : 16;
        int blocksPerSequence = (DECODE_PROMPT + steps + 2 + 15) / 16;
        KvStore kv = model.backend().allocateKv(model.config().blockCount(), batch * blocksPerSequence * 16,
                model.config().kvDim());
        ForwardState state = model.newState(batch * DECODE_PROMPT, batch);
        int[][] tables = new int[batch][blocksPerSequence];
        for (int s = 0; s < batch; s++) {
            for (int b = 0; b < blocksPerSequence; b++) {
                tables[s][b] = s * blocksPerSequence + b;
            }
        }
        // Every sequence's prompt in one forward pass, then one token per sequence per step.
        int[] next = step(model, state, kv, tables, batch, 0, DECODE_PROMPT, null);
        next = step(model, state, kv, tables, batch, DECODE_PROMPT, 1, next);   // warm-up step
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            next = step(model, state, kv, tables, batch, DECODE_PROMPT + 1 + s, 1, next);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double tokensPerSecond = (double) batch * steps / seconds;
        String bandwidth = batch == 1
                ? ", weights read at %.0f GB/s".formatted(model.weightBytes() * steps / seconds / 1e9) : "";
        System.out.printf("%s: decode, batch %d: %.0f tokens/s (%.2f ms a step%s)%n", name, batch, tokensPerSecond,
                seconds / steps * 1e3, bandwidth);
        table.add("| %s: decode, batch %d | %.0f tokens/s (%.2f ms a step%s) |".formatted(name, batch,
                tokensPerSecond, seconds / steps * 1e3, bandwidth));
    }

    /** One forward pass of {@code count} tokens per sequence from {@code position}; returns each one's argmax. */
    private static int[] step(LlamaModel model, ForwardState state, KvStore kv, int[][] tables, int batch,
                              int position, int count, int[] previous) {
        int n = batch * count;
        int[] tokens = new int[n];
        int[] positions = new int[n];
        int[] slots = new int[n];
        int[] sequenceOf = new int[n];
        int[] logitRows = new int[batch];
        for (int s = 0, t = 0; s < batch; s++) {
            for (int j = 0; j < count; j++, t++) {
                int p = position + j;
                tokens[t] = previous != null ? previous[s] : (s * 131 + p * 17 + 1) % model.config().vocabularySize();
                positions[t] = p;
                slots[t] = tables[s][p / 16] * 16 + p % 16;
                sequenceOf[t] = s;
            }
            logitRows[s] = (s + 1) * count - 1;
        }
        float[] logits = model.forward(state, tokens, new AttentionBatch(positions, slots, sequenceOf, tables, 16),
                kv, logitRows);
        int vocabulary = model.config().vocabularySize();
        int[] next = new int[batch];
        for (int s = 0; s < batch; s++) {
            next[s] = Sampler.argmax(logits, s * vocabulary, vocabulary);
        }
        return next;
    }
}
