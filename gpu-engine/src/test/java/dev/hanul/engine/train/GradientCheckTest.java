package dev.hanul.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytic gradient of every trained tensor (A and B of all seven targets in every layer) equals central finite
 * differences of the loss, on a tiny F32 model, over a packed row of two examples with partial loss weights, without
 * and with dropout (whose masks are a fixed function of the step, so the loss stays a deterministic function).
 *
 * <p>Tolerance: the loss is computed in float32 (about 7 significant digits, loss about 4), so a difference quotient
 * with step 1e-2 carries noise near 1e-5 and truncation error near 1e-5; per tensor, the norm of the difference between
 * the two gradients must be under 1% of the gradient's norm, and every element within 1% of that norm of its
 * counterpart.
 */
class GradientCheckTest {

    private static final float STEP = 1e-2f;
    private static final double TOLERANCE = 1e-2;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "dropout {0}")
    @ValueSource(floats = {0f, 0.25f})
    void everyTrainedTensorMatchesFiniteDifferences(float dropout) {
        Path file = TinyModels.write(dir, TinyModels.TINY, GgmlType.F32, 3);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            LoraHyperparameters hp = new LoraHyperparameters(2, 4f, dropout, EnumSet.allOf(LoraTarget.class), 1e-3f,
                    0, 10, 0f, 0f, 1, 40, 7);
            try (LoraTrainer trainer = LoraTrainer.start(model, hp)) {
                // B = 0 after initialization would make every gradient of A zero: give B values of its own.
                SplittableRandom random = new SplittableRandom(9);
                for (LoraPair pair : trainer.parameters().all()) {
                    for (int i = 0; i < pair.b.length; i++) {
                        pair.b[i] = (float) random.nextDouble(-0.5, 0.5);
                    }
                }
                List<TrainingExample> examples = TinyModels.examples(2, 12, 18, 64, 4);
                PackedRow row = new SequencePacker(40).pack(examples).getFirst();
                assertThat(row.length()).isEqualTo(examples.get(0).length() + examples.get(1).length());
                double weight = examples.get(0).weight() + examples.get(1).weight();
                TrainingPass pass = trainer.pass();
                TrainingPass.Masking masking = new TrainingPass.Masking(dropout, 7, 0, 0);
                trainer.parameters().zeroGradients();
                pass.run(row, masking, (float) (1 / weight));
                int tensors = 0;
                for (LoraPair pair : trainer.parameters().all()) {
                    check(pair + " A", pair.a, pair.gradA, () -> pass.run(row, masking, 0f) / weight);
                    check(pair + " B", pair.b, pair.gradB, () -> pass.run(row, masking, 0f) / weight);
                    tensors += 2;
                }
                assertThat(tensors).isEqualTo(2 * 7 * TinyModels.TINY.layers());
            }
        }
    }

    private static void check(String name, float[] values, float[] gradient, java.util.function.DoubleSupplier loss) {
        double[] numeric = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            float saved = values[i];
            values[i] = saved + STEP;
            double plus = loss.getAsDouble();
            values[i] = saved - STEP;
            double minus = loss.getAsDouble();
            values[i] = saved;
            numeric[i] = (plus - minus) / (2 * STEP);
        }
        double difference = 0;
        double norm = 0;
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            difference += (numeric[i] - gradient[i]) * (numeric[i] - gradient[i]);
            norm += (double) gradient[i] * gradient[i];
            worst = Math.max(worst, Math.abs(numeric[i] - gradient[i]));
        }
        norm = Math.sqrt(norm);
        assertThat(norm).as("%s: gradient must not vanish", name).isGreaterThan(1e-6);
        assertThat(Math.sqrt(difference) / norm).as("%s: relative error of the gradient", name)
                .isLessThan(TOLERANCE);
        assertThat(worst / norm).as("%s: worst element's error relative to the norm", name).isLessThan(TOLERANCE);
    }
}
