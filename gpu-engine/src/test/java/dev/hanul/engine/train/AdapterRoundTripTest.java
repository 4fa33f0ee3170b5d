package dev.hanul.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter the trainer writes is the one it trained: loaded by the serving engine ({@code LoraAdapter.load},
 * llama.cpp's GGUF LoRA format), it gives the logits of the trainer's own forward pass, on an F32 model (only float
 * summation order differs: tolerance 1e-3 on logits of magnitude ~10) and a Q8_0 model (the same dequantized weights on
 * both sides).
 */
class AdapterRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void servedAdapterReproducesTheTrainersLogits() {
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.Q8_0}) {
            Path file = TinyModels.write(dir, new dev.hanul.engine.synth.ModelShape(64, 2, 128, 4, 2, 96, 128, 10000f,
                    true), type, 5);
            try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(2)) {
                LlamaModel model = LlamaModel.load(gguf, cpu);
                LoraHyperparameters hp = new LoraHyperparameters(4, 8f, 0.1f, EnumSet.allOf(LoraTarget.class), 2e-2f,
                        1, 4, 0.01f, 1f, 1, 64, 11);
                try (LoraTrainer trainer = LoraTrainer.start(model, hp)) {
                    for (int s = 0; s < 4; s++) {
                        trainer.step(TinyModels.examples(4, 8, 16, 96, s));
                    }
                    Path adapterFile = dir.resolve("trained-" + type + ".lora.gguf");
                    trainer.writeAdapter(adapterFile, "trained");
                    LoraAdapter adapter = LoraAdapter.load(adapterFile, model, "trained", 1f);
                    assertThat(adapter.targets()).isEqualTo(EnumSet.allOf(LoraTarget.class));
                    assertThat(adapter.rank()).isEqualTo(4);
                    assertThat(adapter.alpha()).isEqualTo(8f);
                    assertThat(adapter.parameters()).isEqualTo(trainer.trainableParameters());

                    int[] tokens = new SplittableRandom(3).ints(20, 0, 96).toArray();
                    float[] trained = trainer.logits(tokens);
                    float[] served = EngineLogits.of(model, tokens, adapter);
                    float[] base = EngineLogits.of(model, tokens, null);
                    assertThat(EngineLogits.maxDifference(trained, served)).as("%s: served vs trained logits", type)
                            .isLessThan(1e-3f);
                    assertThat(EngineLogits.maxDifference(served, base)).as("%s: training changed the model", type)
                            .isGreaterThan(1e-2f);
                }
            }
        }
    }
}
