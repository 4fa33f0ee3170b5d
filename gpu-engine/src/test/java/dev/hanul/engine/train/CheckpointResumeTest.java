package dev.hanul.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run saved at step k and resumed (in a new trainer, as after a crash) continues exactly as the uninterrupted run:
 * the same losses, gradient norms and final adapter, bit for bit (with dropout, gradient accumulation and warm-up on).
 * Damaged checkpoints are refused with a reason.
 */
class CheckpointResumeTest {

    private static final LoraHyperparameters HP = new LoraHyperparameters(4, 8f, 0.1f,
            EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE, LoraTarget.DOWN), 1e-2f, 2, 8, 0.01f, 1f, 2, 48, 99);

    @TempDir
    Path dir;

    @Test
    void resumedRunIsBitIdenticalToTheUninterruptedOne() throws Exception {
        Path file = TinyModels.write(dir, TinyModels.TINY, GgmlType.Q8_0, 8);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            List<TrainingStep> straight = new ArrayList<>();
            try (LoraTrainer trainer = LoraTrainer.start(model, HP)) {
                for (int s = 0; s < 8; s++) {
                    straight.add(trainer.step(batch(s)));
                }
                trainer.writeAdapter(dir.resolve("straight.gguf"), "x");
            }
            Path checkpoint = dir.resolve("run/step-3.ckpt");
            try (LoraTrainer trainer = LoraTrainer.start(model, HP)) {
                for (int s = 0; s < 3; s++) {
                    trainer.step(batch(s));
                }
                trainer.saveCheckpoint(checkpoint);
                trainer.step(batch(3)); // work after the checkpoint that a crash loses
            }
            assertThat(dir.resolve("run/step-3.ckpt.tmp")).doesNotExist();
            try (LoraTrainer resumed = LoraTrainer.resume(model, checkpoint)) {
                assertThat(resumed.completedSteps()).isEqualTo(3);
                assertThat(resumed.hyperparameters()).isEqualTo(HP);
                for (int s = 3; s < 8; s++) {
                    TrainingStep step = resumed.step(batch(s));
                    TrainingStep expected = straight.get(s);
                    assertThat(step.step()).isEqualTo(expected.step());
                    assertThat(Float.floatToIntBits(step.loss())).as("loss of step %d", s + 1)
                            .isEqualTo(Float.floatToIntBits(expected.loss()));
                    assertThat(Float.floatToIntBits(step.gradientNorm())).as("gradient norm of step %d", s + 1)
                            .isEqualTo(Float.floatToIntBits(expected.gradientNorm()));
                }
                resumed.writeAdapter(dir.resolve("resumed.gguf"), "x");
            }
            assertThat(Files.readAllBytes(dir.resolve("resumed.gguf")))
                    .isEqualTo(Files.readAllBytes(dir.resolve("straight.gguf")));
        }
    }

    @Test
    void damagedOrForeignCheckpointsAreRefused() throws Exception {
        Path file = TinyModels.write(dir, TinyModels.TINY, GgmlType.F32, 8);
        Path other = TinyModels.write(dir, TinyModels.TINY, GgmlType.F32, 9);
        try (GgufFile gguf = GgufFile.open(file); GgufFile otherGguf = GgufFile.open(other);
             CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            Path checkpoint = dir.resolve("a.ckpt");
            try (LoraTrainer trainer = LoraTrainer.start(model, HP)) {
                trainer.step(batch(0));
                trainer.saveCheckpoint(checkpoint);
            }
            byte[] bytes = Files.readAllBytes(checkpoint);
            Path flipped = dir.resolve("flipped.ckpt");
            bytes[bytes.length / 2] ^= 1;
            Files.write(flipped, bytes);
            assertThatThrownBy(() -> LoraTrainer.resume(model, flipped))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damaged");
            Path truncated = dir.resolve("truncated.ckpt");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 3));
            assertThatThrownBy(() -> LoraTrainer.resume(model, truncated))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
            Path notOne = dir.resolve("model.ckpt");
            Files.copy(file, notOne);
            assertThatThrownBy(() -> LoraTrainer.resume(model, notOne))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a LoRA training checkpoint");
            LlamaModel otherModel = LlamaModel.load(otherGguf, cpu);
            assertThatThrownBy(() -> LoraTrainer.resume(otherModel, checkpoint))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another base model");
            Files.writeString(checkpoint, "x", StandardOpenOption.APPEND);
            assertThatThrownBy(() -> LoraTrainer.resume(model, checkpoint))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("damaged");
        }
    }

    private static List<TrainingExample> batch(int step) {
        return TinyModels.examples(4, 6, 20, 64, 100 + step);
    }
}
