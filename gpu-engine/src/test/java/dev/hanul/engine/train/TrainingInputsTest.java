package dev.hanul.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the trainer accepts: hyper-parameters and examples are checked with messages that say what is wrong; packing
 * keeps examples apart (a packed row's loss is the sum of its examples' losses alone); the schedule is Hugging Face's.
 */
class TrainingInputsTest {

    @TempDir
    Path dir;

    @Test
    void badHyperparametersAreRefusedWithTheReason() {
        Set<LoraTarget> all = EnumSet.allOf(LoraTarget.class);
        assertThatThrownBy(() -> new LoraHyperparameters(0, 16, 0, all, 1e-4f, 0, 10, 0, 1, 1, 128, 1))
                .hasMessageContaining("rank must be between 1 and 1024, got 0");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 1f, all, 1e-4f, 0, 10, 0, 1, 1, 128, 1))
                .hasMessageContaining("dropout must be in [0, 1)");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 0, Set.of(), 1e-4f, 0, 10, 0, 1, 1, 128, 1))
                .hasMessageContaining("targets must name at least one");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 0, all, 1e-4f, 11, 10, 0, 1, 1, 128, 1))
                .hasMessageContaining("warmupSteps must be between 0 and totalSteps (10), got 11");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 0, all, Float.NaN, 0, 10, 0, 1, 1, 128, 1))
                .hasMessageContaining("learningRate must be a positive number");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 0, all, 1e-4f, 0, 10, 0, -1, 1, 128, 1))
                .hasMessageContaining("maxGradNorm");
        assertThatThrownBy(() -> new LoraHyperparameters(8, 16, 0, all, 1e-4f, 0, 10, 0, 1, 0, 128, 1))
                .hasMessageContaining("gradientAccumulationSteps must be at least 1");
        assertThatThrownBy(() -> new TrainingExample(new int[] {1, 2, 3}, new float[] {0, 1}))
                .hasMessageContaining("one loss weight per token: 3 tokens, 2 weights");
        assertThatThrownBy(() -> new TrainingExample(new int[] {1, 2}, new float[] {0, -1}))
                .hasMessageContaining("loss weight 1 is -1.0");
        assertThatThrownBy(() -> new TrainingExample(new int[] {1}, new float[] {1}))
                .hasMessageContaining("at least 2 tokens");
    }

    @Test
    void packedRowsKeepTheirExamplesApart() {
        List<TrainingExample> examples = TinyModels.examples(5, 5, 12, 64, 1);
        List<PackedRow> rows = new SequencePacker(24).pack(examples);
        int tokens = 0;
        for (PackedRow row : rows) {
            assertThat(row.length()).isLessThanOrEqualTo(24);
            tokens += row.length();
            for (int t = 0; t < row.length(); t++) {
                assertThat(row.positions()[t]).isEqualTo(t - row.sequenceStart()[t]);
            }
        }
        assertThat(tokens).isEqualTo(examples.stream().mapToInt(TrainingExample::length).sum());
        assertThatThrownBy(() -> new SequencePacker(8).pack(examples))
                .hasMessageContaining("more than the sequence length 8");

        Path file = TinyModels.write(dir, TinyModels.TINY, GgmlType.F32, 2);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            LoraHyperparameters packed = new LoraHyperparameters(2, 4, 0, Set.of(LoraTarget.QUERY), 1e-3f, 0, 5, 0,
                    0, 1, 64, 3);
            LoraHyperparameters alone = new LoraHyperparameters(2, 4, 0, Set.of(LoraTarget.QUERY), 1e-3f, 0, 5, 0,
                    0, 1, 12, 3);
            try (LoraTrainer a = LoraTrainer.start(model, packed); LoraTrainer b = LoraTrainer.start(model, alone)) {
                assertThat(new SequencePacker(64).pack(examples)).hasSize(1);
                assertThat(new SequencePacker(12).pack(examples)).hasSize(5);
                assertThat(a.validationLoss(examples)).isCloseTo(b.validationLoss(examples),
                        org.assertj.core.data.Offset.offset(1e-5f));

                assertThatThrownBy(() -> a.step(List.of(new TrainingExample(new int[] {1, 64}, new float[] {0, 1}))))
                        .hasMessageContaining("example 0: token 1 is 64, outside the vocabulary of 64");
                assertThatThrownBy(() -> a.step(List.of(new TrainingExample(new int[] {1, 2}, new float[] {1, 0}))))
                        .hasMessageContaining("no token of the batch has a loss weight above 0");
            }
        }
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysAsACosine() {
        LearningRateSchedule schedule = new LearningRateSchedule(1f, 4, 12);
        assertThat(schedule.at(0)).isZero();
        assertThat(schedule.at(2)).isEqualTo(0.5f);
        assertThat(schedule.at(4)).isEqualTo(1f);
        assertThat(schedule.at(8)).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(schedule.at(12)).isZero();
    }

    @Test
    void adapterSizeFollowsTheShapeAndAClosedTrainerRefusesWork() {
        Path file = TinyModels.write(dir, TinyModels.TINY, GgmlType.F32, 4);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            try (LoraTrainer trainer = LoraTrainer.start(model, LoraHyperparameters.defaults(3, 1))) {
                assertThat(trainer.completedSteps()).isZero();
                // rank 8 x (in + out) per matrix: q 32+32, k 32+16, v 32+16, o 32+32, gate 32+64, up 32+64,
                // down 64+32; two layers.
                assertThat(trainer.trainableParameters()).isEqualTo(2L * 8 * (64 + 48 + 48 + 64 + 96 + 96 + 96));
                trainer.close();
                assertThatThrownBy(() -> trainer.validationLoss(TinyModels.examples(1, 4, 6, 64, 1)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            }
        }
    }
}
