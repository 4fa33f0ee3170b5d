package dev.hanul.engine.bench;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.backend.cpu.MatmulPrecision;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.ForwardState;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.Sampler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Prefill and decode speed of one model on the CPU backend: a prompt of random token ids is processed in chunks,
 * then tokens are decoded greedily one at a time. Weight bytes read per decoded token times tokens per second is the
 * memory bandwidth decoding achieves, the number to hold against the machine's.
 */
public final class InferenceBenchmark {

    private static final int BLOCK_SIZE = 16;

    /** One measurement. */
    public record Result(String model, String weightType, long weightBytes, int threads, int promptTokens,
                         double prefillTokensPerSecond, int decodeTokens, double decodeTokensPerSecond,
                         double regionsPerDecodedToken) {

        /** Bytes of weights read per second while decoding. */
        public double decodeBandwidth() {
            return weightBytes * decodeTokensPerSecond;
        }
    }

    private InferenceBenchmark() {
    }

    public static Result run(Path modelPath, int threads, int promptTokens, int decodeTokens, int prefillChunk) {
        return run(modelPath, threads, promptTokens, decodeTokens, prefillChunk, MatmulPrecision.fromSystemProperty());
    }

    public static Result run(Path modelPath, int threads, int promptTokens, int decodeTokens, int prefillChunk,
                             MatmulPrecision precision) {
        try (GgufFile gguf = GgufFile.open(modelPath); CpuBackend backend = new CpuBackend(threads, precision)) {
            LlamaModel model = LlamaModel.load(gguf, backend);
            int context = promptTokens + decodeTokens + 1;
            int[] table = AttentionBatch.identityTable(context, BLOCK_SIZE);
            KvStore kv = backend.allocateKv(model.config().blockCount(), table.length * BLOCK_SIZE,
                    model.config().kvDim());
            ForwardState state = model.newState(prefillChunk, 1);
            int vocabulary = model.config().vocabularySize();
            int[] prompt = new SplittableRandom(42).ints(promptTokens, 0, vocabulary).toArray();

            decode(model, state, kv, table, prompt[0], 0, Math.min(16, decodeTokens)); // warm up the JIT
            long start = System.nanoTime();
            float[] logits = null;
            for (int from = 0; from < promptTokens; from += prefillChunk) {
                int to = Math.min(promptTokens, from + prefillChunk);
                int[] positions = new int[to - from];
                int first = from;
                Arrays.setAll(positions, i -> first + i);
                logits = model.forward(state, Arrays.copyOfRange(prompt, from, to),
                        AttentionBatch.ofContiguousSequence(positions, table, BLOCK_SIZE), kv,
                        new int[] {positions.length - 1});
            }
            double prefillSeconds = (System.nanoTime() - start) / 1e9;
            int next = Sampler.argmax(logits, 0, vocabulary);
            long regions = backend.parallelRegions();
            start = System.nanoTime();
            decode(model, state, kv, table, next, promptTokens, decodeTokens);
            double decodeSeconds = (System.nanoTime() - start) / 1e9;
            double regionsPerToken = (backend.parallelRegions() - regions) / (double) decodeTokens;
            return new Result(modelPath.getFileName().toString(), model.weightType(), model.weightBytes(), threads,
                    promptTokens, promptTokens / prefillSeconds, decodeTokens, decodeTokens / decodeSeconds,
                    regionsPerToken);
        }
    }

    private static void decode(LlamaModel model, ForwardState state, KvStore kv, int[] table, int token, int position,
                               int steps) {
        int vocabulary = model.config().vocabularySize();
        for (int i = 0; i < steps; i++) {
            int[] positions = {position + i};
            float[] logits = model.forward(state, new int[] {token},
                    AttentionBatch.ofContiguousSequence(positions, table, BLOCK_SIZE), kv, new int[] {0});
            token = Sampler.argmax(logits, 0, vocabulary);
        }
    }
}
