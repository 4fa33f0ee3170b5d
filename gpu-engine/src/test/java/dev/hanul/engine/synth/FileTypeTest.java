package dev.hanul.engine.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthesized k-quant files: llama.cpp's Q4_K_M choices per tensor, and weights the engine reads and runs. */
class FileTypeTest {

    /** Rows of 256: every matrix can hold k-quant blocks. */
    private static final ModelShape K_SHAPE = new ModelShape(256, 8, 512, 4, 2, 512, 256, 10000f, true);

    @TempDir
    Path dir;

    @Test
    void q4KmFollowsLlamaCppOnSmolLm2sShape() {
        ModelShape smol = ModelShape.named("smollm2-135m");
        FileType mix = FileType.named("q4_k_m");
        // 576-wide rows cannot hold 256-value blocks: Q4_K falls back to Q5_0, Q6_K to Q8_0, as llama-quantize does.
        assertThat(mix.typeOf(tensor(smol, "attn_q", 10, smol.dim()))).isEqualTo(GgmlType.Q5_0);
        assertThat(mix.typeOf(tensor(smol, "token_embd", -1, smol.dim()))).isEqualTo(GgmlType.Q8_0);
        assertThat(mix.typeOf(tensor(smol, "attn_v", 0, smol.dim()))).isEqualTo(GgmlType.Q8_0);
        // ffn_down's rows are 1536 wide: Q6_K in the layers use_more_bits picks (the first and last 30/8, then
        // every third from layer 3 + 2), Q4_K in the others.
        Map<Integer, GgmlType> down = new TreeMap<>();
        for (int layer : new int[] {0, 2, 3, 4, 5, 6, 8, 26, 29}) {
            down.put(layer, mix.typeOf(tensor(smol, "ffn_down", layer, smol.ffn())));
        }
        assertThat(down).containsExactly(Map.entry(0, GgmlType.Q6_K), Map.entry(2, GgmlType.Q6_K),
                Map.entry(3, GgmlType.Q4_K), Map.entry(4, GgmlType.Q4_K), Map.entry(5, GgmlType.Q6_K),
                Map.entry(6, GgmlType.Q4_K), Map.entry(8, GgmlType.Q6_K), Map.entry(26, GgmlType.Q6_K),
                Map.entry(29, GgmlType.Q6_K));
        assertThat(FileType.named("Q4_0").typeOf(tensor(smol, "ffn_down", 4, smol.ffn()))).isEqualTo(GgmlType.Q4_0);
        assertThatThrownBy(() -> FileType.named("Q3_K_L")).hasMessageContaining("Q4_K_M");
    }

    @Test
    void aSynthesizedQ4KmModelHoldsTheMixAndRuns() {
        Path file = dir.resolve("q4km.gguf");
        SyntheticModel.write(K_SHAPE, FileType.named("Q4_K_M"), 7, null, file);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            assertThat(gguf.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q4_K);
            assertThat(gguf.tensor("blk.0.attn_v.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(gguf.tensor("blk.2.attn_v.weight").type()).isEqualTo(GgmlType.Q4_K);
            assertThat(gguf.tensor("token_embd.weight").type()).isEqualTo(GgmlType.Q6_K);
            // The random blocks are centred and scaled as the other formats' are: values ~ N(0, 1/sqrt(columns)).
            for (String name : new String[] {"blk.0.attn_q.weight", "blk.0.attn_v.weight"}) {
                Weights weights = cpu.weights(gguf.tensor(name));
                float[] row = new float[weights.columns()];
                double sum = 0;
                double squares = 0;
                int rows = 64;
                for (int r = 0; r < rows; r++) {
                    weights.readRow(r, row, 0);
                    for (float v : row) {
                        sum += v;
                        squares += v * v;
                    }
                }
                int n = rows * row.length;
                double std = Math.sqrt(squares / n - (sum / n) * (sum / n));
                assertThat(sum / n).as("%s mean", name).isCloseTo(0, offset(0.01));
                assertThat(std * Math.sqrt(K_SHAPE.dim())).as("%s std x sqrt(columns)", name)
                        .isBetween(0.8, 1.25);
            }
            LlamaModel model = LlamaModel.load(gguf, cpu);
            KvStore kv = cpu.allocateKv(model.config().blockCount(), 16, model.config().kvDim());
            float[] logits = model.forward(model.newState(4, 1), new int[] {1, 2, 3, 4},
                    AttentionBatch.ofContiguousSequence(new int[] {0, 1, 2, 3}, AttentionBatch.identityTable(16, 16),
                            16), kv, new int[] {3});
            assertThat(logits).hasSize(K_SHAPE.vocabulary());
            for (float logit : logits) {
                assertThat(logit).isFinite();
            }
        }
    }

    @Test
    void aRowThatBlocksCannotTileIsRefusedWithItsWidth() {
        assertThatThrownBy(() -> SyntheticModel.write(ModelShape.named("stories260k"), GgmlType.Q4_K, 1, null,
                dir.resolve("bad.gguf"))).hasMessageContaining("64 values").hasMessageContaining("Q4_K");
    }

    private static FileType.Tensor tensor(ModelShape shape, String role, int layer, int columns) {
        return new FileType.Tensor(role, layer, shape.layers(), columns, shape.tiedEmbeddings());
    }
}
