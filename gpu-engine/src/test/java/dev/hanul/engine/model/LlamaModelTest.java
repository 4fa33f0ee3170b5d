package dev.hanul.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.gguf.GgufWriter;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {

    @TempDir
    Path dir;

    private Path synthetic;

    @BeforeEach
    void synthesize() {
        synthetic = dir.resolve("tiny.gguf");
        SyntheticModel.write(ModelShape.named("stories260k"), GgmlType.F16, 3, null, synthetic);
    }

    @Test
    void storiesModelDecodesThePublishedFirstTokensFromBos() {
        try (GgufFile gguf = GgufFile.open(TestModels.require(TestModels.STORIES)); CpuBackend cpu = new CpuBackend(2)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            int[] table = AttentionBatch.identityTable(16, 16);
            KvStore kv = cpu.allocateKv(model.config().blockCount(), 16, model.config().kvDim());
            var state = model.newState(1, 1);
            int token = 1;
            int[] produced = new int[5];
            for (int position = 0; position < produced.length; position++) {
                float[] logits = model.forward(state, new int[] {token},
                        AttentionBatch.ofContiguousSequence(new int[] {position}, table, 16), kv, new int[] {0});
                token = produced[position] = Sampler.argmax(logits, 0, model.config().vocabularySize());
            }
            assertThat(produced).containsExactly(403, 407, 261, 378, 432);
        }
    }

    @Test
    void syntheticModelsLoadAndProduceFiniteLogits() {
        try (GgufFile gguf = GgufFile.open(synthetic); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            KvStore kv = cpu.allocateKv(model.config().blockCount(), 16, model.config().kvDim());
            float[] logits = model.forward(model.newState(4, 1), new int[] {1, 2, 3, 4},
                    AttentionBatch.ofContiguousSequence(new int[] {0, 1, 2, 3}, AttentionBatch.identityTable(16, 16),
                            16), kv, new int[] {3});
            assertThat(logits).hasSize(512);
            for (float logit : logits) {
                assertThat(logit).isFinite();
            }
        }
    }

    @Test
    void unsupportedTensorTypeIsNamed() {
        Path file = rewrite("q5.gguf", Map.of(), "blk.0.attn_q.weight", GgmlType.Q5_1);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            assertThatThrownBy(() -> LlamaModel.load(gguf, cpu))
                    .isInstanceOf(GgufException.class)
                    .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("Q5_1")
                    .hasMessageContaining("supported: F32, F16, Q4_0, Q4_1, Q5_0, Q8_0, Q4_K, Q5_K, Q6_K, BF16");
        }
    }

    @Test
    void unsupportedArchitectureIsNamed() {
        Path file = rewrite("bert.gguf", Map.of("general.architecture", "bert"), null, null);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            assertThatThrownBy(() -> LlamaModel.load(gguf, cpu))
                    .isInstanceOf(GgufException.class)
                    .hasMessageContaining("architecture 'bert' is not supported")
                    .hasMessageContaining("supported: llama, mistral, qwen2, qwen3, gemma2, gemma3, phi3, smollm3");
        }
    }

    @Test
    void shapesThatContradictTheMetadataAreNamed() {
        Path file = rewrite("wide.gguf", Map.of("llama.feed_forward_length", 200L), null, null);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            assertThatThrownBy(() -> LlamaModel.load(gguf, cpu))
                    .isInstanceOf(GgufException.class)
                    .hasMessageContaining("blk.0.ffn_gate.weight").hasMessageContaining("expected 200 x 64");
        }
    }

    /** A copy of the synthetic model with some metadata replaced and optionally one tensor retyped. */
    private Path rewrite(String name, Map<String, Object> metadata, String retype, GgmlType newType) {
        Path out = dir.resolve(name);
        try (GgufFile source = GgufFile.open(synthetic)) {
            GgufWriter writer = new GgufWriter();
            source.metadata().forEach((key, value) -> writer.putValue(key, metadata.getOrDefault(key, value)));
            for (GgufTensor t : source.tensors().values()) {
                GgmlType type = t.name().equals(retype) ? newType : t.type();
                byte[] bytes = new byte[Math.toIntExact(type.bytesFor(t.elementCount()))];
                if (type == t.type()) {
                    bytes = t.data().toArray(ValueLayout.JAVA_BYTE);
                }
                writer.addTensor(t.name(), type, t.shape(), bytes);
            }
            writer.write(out);
        }
        return out;
    }
}
