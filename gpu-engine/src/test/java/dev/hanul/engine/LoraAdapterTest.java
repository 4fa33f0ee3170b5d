package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.gguf.GgufWriter;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraAdapterWriter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.model.LoraBatch;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticAdapter;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoRA adapter changes the model exactly as {@code W' = W + scale * B A} predicts: logits with the adapter equal
 * the logits of a second model file whose adapted matrices were merged, alone and with base-model rows and another
 * adapter's rows in the same batch, in prefill and decode, through the serving engine too (whose prefix cache must not
 * hand an adapter the base model's keys and values).
 */
class LoraAdapterTest {

    /** Float rounding of the unmerged and merged products differs; anything else would be orders larger. */
    private static final float TOLERANCE = 2e-4f;
    private static final ModelShape SHAPE = new ModelShape(64, 2, 128, 4, 2, 96, 512, 10000f, true);
    private static final EngineConfig CONFIG = new EngineConfig(8L << 20, 16, 8, 64, 64, 32, 2);

    @TempDir
    Path dir;

    private Path base;
    private Path adapter1;
    private Path adapter2;
    private Path merged1;
    private Path merged2;

    @BeforeEach
    void makeModels() {
        base = TestEngines.synthesize(dir, SHAPE, GgmlType.F32);
        try (GgufFile gguf = GgufFile.open(base); CpuBackend cpu = new CpuBackend(1)) {
            var config = LlamaModel.load(gguf, cpu).config();
            // Every target, rank 4, alpha 8 (scale 2); and a second adapter on some targets, alpha 0 (scale = the
            // adapter scale, 0.75 when loaded).
            adapter1 = dir.resolve("all.lora.gguf");
            var pairs1 = SyntheticAdapter.write(config, EnumSet.allOf(LoraTarget.class), 4, 8f, 11, adapter1);
            adapter2 = dir.resolve("some.lora.gguf");
            var pairs2 = SyntheticAdapter.write(config, EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE,
                    LoraTarget.UP, LoraTarget.DOWN), 2, 0f, 12, adapter2);
            merged1 = merge(gguf, pairs1, 8f / 4, dir.resolve("merged1.gguf"));
            merged2 = merge(gguf, pairs2, 0.75f, dir.resolve("merged2.gguf"));
        }
    }

    @Test
    void adapterAloneEqualsMergedWeights() {
        int[] prompt = new SplittableRandom(1).ints(23, 0, SHAPE.vocabulary()).toArray();
        try (GgufFile gguf = GgufFile.open(base); CpuBackend cpu = new CpuBackend(2)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            LoraAdapter lora = LoraAdapter.load(adapter1, model, "all", 1f);
            assertThat(lora.rank()).isEqualTo(4);
            assertThat(lora.targets()).isEqualTo(EnumSet.allOf(LoraTarget.class));
            float[] withAdapter = lastLogits(model, prompt, lora);
            float[] plain = lastLogits(model, prompt, null);
            float[] expected = logitsOf(merged1, prompt);
            assertClose(withAdapter, expected);
            assertThat(maxDifference(withAdapter, plain)).as("the adapter changes the logits").isGreaterThan(0.1f);
        }
    }

    @Test
    void mixedBatchRowsEachMatchTheirOwnModel() {
        SplittableRandom random = new SplittableRandom(2);
        int[][] prompts = {random.ints(5, 0, 96).toArray(), random.ints(7, 0, 96).toArray(),
                random.ints(6, 0, 96).toArray(), random.ints(9, 0, 96).toArray()};
        try (GgufFile gguf = GgufFile.open(base); CpuBackend cpu = new CpuBackend(2)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            LoraAdapter all = LoraAdapter.load(adapter1, model, "all", 1f);
            LoraAdapter some = LoraAdapter.load(adapter2, model, "some", 0.75f);
            // Rows: base | adapter 1 | base | adapter 2 — segments that start past row 0, between base rows.
            LoraAdapter[] adapters = {null, all, null, some};
            int total = 0;
            for (int[] p : prompts) {
                total += p.length;
            }
            int[] tokens = new int[total];
            int[] positions = new int[total];
            int[] slots = new int[total];
            int[] sequenceOf = new int[total];
            int[][] tables = new int[prompts.length][];
            int[] last = new int[prompts.length];
            List<LoraBatch.Segment> segments = new ArrayList<>();
            int t = 0;
            for (int s = 0; s < prompts.length; s++) {
                tables[s] = new int[] {s};
                int first = t;
                for (int p = 0; p < prompts[s].length; p++, t++) {
                    tokens[t] = prompts[s][p];
                    positions[t] = p;
                    slots[t] = s * 16 + p;
                    sequenceOf[t] = s;
                }
                last[s] = t - 1;
                if (adapters[s] != null) {
                    segments.add(new LoraBatch.Segment(adapters[s], first, t - first));
                }
            }
            KvStore kv = cpu.allocateKv(model.config().blockCount(), 16 * prompts.length, model.config().kvDim());
            float[] logits = model.forward(model.newState(total, prompts.length), tokens,
                    new AttentionBatch(positions, slots, sequenceOf, tables, 16), kv, last, new LoraBatch(segments));
            Path[] reference = {base, merged1, base, merged2};
            int vocabulary = model.config().vocabularySize();
            for (int s = 0; s < prompts.length; s++) {
                float[] row = java.util.Arrays.copyOfRange(logits, s * vocabulary, (s + 1) * vocabulary);
                assertClose(row, logitsOf(reference[s], prompts[s]));
            }
        }
    }

    @Test
    void engineServesBaseAndTwoAdaptersInOneBatch() {
        SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(12).ignoreEos(true).logprobs(0)
                .build();
        // 40 tokens: two full blocks that a base request leaves in the prefix cache before the adapters ask.
        int[] shared = new SplittableRandom(3).ints(40, 0, 96).toArray();
        int[] other = new SplittableRandom(4).ints(19, 0, 96).toArray();
        int[][] prompts = {shared, shared, shared, other, other};
        Path[] references = {base, merged1, merged2, base, merged1};
        try (InferenceEngine engine = InferenceEngine.open(base, CONFIG)) {
            LoraAdapter all = LoraAdapter.load(adapter1, engine.model(), "all", 1f);
            LoraAdapter some = LoraAdapter.load(adapter2, engine.model(), "some", 0.75f);
            LoraAdapter[] adapters = {null, all, some, null, all};
            EventCollector.of(engine.submit(GenerationRequest.of(shared, greedy))).await();
            List<EventCollector> batch = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                batch.add(EventCollector.of(engine.submit(
                        GenerationRequest.of(prompts[i], greedy).withAdapter(adapters[i]))));
            }
            for (int i = 0; i < prompts.length; i++) {
                EventCollector got = batch.get(i).await();
                EventCollector want = alone(references[i], prompts[i], greedy);
                assertThat(got.tokens()).as("request %d's tokens", i).isEqualTo(want.tokens());
                assertLogprobsClose(got, want);
            }
            assertThat(batch.get(1).tokens()).as("the adapter changes the answer")
                    .isNotEqualTo(batch.get(0).tokens());
            assertThat(engine.stats().prefixCacheHitRate()).as("the base model's blocks were cached and reused")
                    .isGreaterThan(0);
        }
    }

    private static EventCollector alone(Path model, int[] prompt, SamplingParams params) {
        try (InferenceEngine engine = InferenceEngine.open(model, CONFIG)) {
            return EventCollector.of(engine.submit(GenerationRequest.of(prompt, params))).await();
        }
    }

    @Test
    void adapterForAnotherModelIsRefusedWithTheReason() {
        Path wrongShape = dir.resolve("wrong.lora.gguf");
        new LoraAdapterWriter("llama", 8f).add(new LoraAdapterWriter.Pair("blk.0.attn_q.weight", 2, 32, 64,
                new float[2 * 32], new float[64 * 2])).write(wrongShape);
        Path wrongArch = dir.resolve("qwen.lora.gguf");
        new LoraAdapterWriter("qwen2", 8f).add(new LoraAdapterWriter.Pair("blk.0.attn_q.weight", 2, 64, 64,
                new float[2 * 64], new float[64 * 2])).write(wrongArch);
        Path embedding = dir.resolve("embd.lora.gguf");
        new LoraAdapterWriter("llama", 8f).add(new LoraAdapterWriter.Pair("output.weight", 2, 64, 96,
                new float[2 * 64], new float[96 * 2])).write(embedding);
        try (GgufFile gguf = GgufFile.open(base); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            assertThatThrownBy(() -> LoraAdapter.load(wrongShape, model, "x", 1f)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("64 x 64")
                    .hasMessageContaining("wrong base model");
            assertThatThrownBy(() -> LoraAdapter.load(wrongArch, model, "x", 1f)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("'qwen2'").hasMessageContaining("'llama'");
            assertThatThrownBy(() -> LoraAdapter.load(embedding, model, "x", 1f)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("output.weight").hasMessageContaining("not supported");
            assertThatThrownBy(() -> LoraAdapter.load(base, model, "x", 1f)).isInstanceOf(GgufException.class)
                    .hasMessageContaining("not a LoRA adapter");
        }
    }

    // ---- references -------------------------------------------------------------------------------------------

    /** The base file with {@code W + scale * B A} in place of every adapted matrix. */
    private static Path merge(GgufFile gguf, List<LoraAdapterWriter.Pair> pairs, float scale, Path out) {
        Map<String, LoraAdapterWriter.Pair> byTensor = new HashMap<>();
        pairs.forEach(pair -> byTensor.put(pair.baseTensor(), pair));
        GgufWriter writer = new GgufWriter();
        gguf.metadata().forEach(writer::putValue);
        for (GgufTensor tensor : gguf.tensors().values()) {
            float[] values = tensor.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
            LoraAdapterWriter.Pair pair = byTensor.get(tensor.name());
            if (pair != null) {
                for (int o = 0; o < pair.out(); o++) {
                    for (int i = 0; i < pair.in(); i++) {
                        double sum = 0;
                        for (int r = 0; r < pair.rank(); r++) {
                            sum += (double) pair.b()[o * pair.rank() + r] * pair.a()[r * pair.in() + i];
                        }
                        values[o * pair.in() + i] += (float) (scale * sum);
                    }
                }
            }
            ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            writer.addTensor(tensor.name(), GgmlType.F32, tensor.shape(), stream -> stream.write(bytes.array()));
        }
        writer.write(out);
        return out;
    }

    private static float[] logitsOf(Path file, int[] prompt) {
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            return lastLogits(LlamaModel.load(gguf, cpu), prompt, null);
        }
    }

    private static float[] lastLogits(LlamaModel model, int[] prompt, LoraAdapter adapter) {
        int[] positions = java.util.stream.IntStream.range(0, prompt.length).toArray();
        KvStore kv = model.backend().allocateKv(model.config().blockCount(), 64, model.config().kvDim());
        return model.forward(model.newState(prompt.length, 1), prompt,
                AttentionBatch.ofContiguousSequence(positions, AttentionBatch.identityTable(64, 16), 16), kv,
                new int[] {prompt.length - 1},
                adapter == null ? LoraBatch.NONE : new LoraBatch(List.of(new LoraBatch.Segment(adapter, 0,
                        prompt.length))));
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).as("largest logit difference").isLessThan(TOLERANCE);
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertLogprobsClose(EventCollector got, EventCollector want) {
        List<Float> a = sampledLogprobs(got);
        List<Float> b = sampledLogprobs(want);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(Math.abs(a.get(i) - b.get(i))).as("logprob of token %d", i).isLessThan(TOLERANCE);
        }
    }

    private static List<Float> sampledLogprobs(EventCollector events) {
        return events.events().stream().filter(e -> e instanceof GenerationEvent.Token)
                .map(e -> ((GenerationEvent.Token) e).logprobs().sampled().logprob()).toList();
    }
}
