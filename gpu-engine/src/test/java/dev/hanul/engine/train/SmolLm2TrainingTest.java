package dev.hanul.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.backend.cpu.MatmulPrecision;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real SmolLM2-135M-Instruct (Q4_1, frozen), a rank-8 adapter learns an answer format in 8 steps: the loss on
 * the answers falls below a third of where it started, and the served adapter (float matmuls, the same dequantized
 * weights) reproduces the trainer's logits within 1e-3 (measured: 4e-5). Skipped when the model file is absent.
 */
class SmolLm2TrainingTest {

    private static final String[][] PAIRS = {
            {"Capital of France?", "ANSWER[Paris]"},
            {"Capital of Japan?", "ANSWER[Tokyo]"},
            {"Capital of Italy?", "ANSWER[Rome]"},
            {"Capital of Egypt?", "ANSWER[Cairo]"}};

    @TempDir
    Path dir;

    @Test
    void learnsAnAnswerFormatAndServesIt() {
        Path file = TestModels.require(TestModels.SMOLLM2);
        try (GgufFile gguf = GgufFile.open(file); CpuBackend cpu = new CpuBackend(2, MatmulPrecision.FLOAT)) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            List<TrainingExample> examples = new ArrayList<>();
            for (String[] pair : PAIRS) {
                int[] prompt = tokenizer.encode("Q: " + pair[0] + "\nA:");
                int[] answer = tokenizer.encode(" " + pair[1] + "\n");
                int[] tokens = new int[prompt.length + answer.length];
                System.arraycopy(prompt, 0, tokens, 0, prompt.length);
                System.arraycopy(answer, 0, tokens, prompt.length, answer.length);
                examples.add(TrainingExample.completion(tokens, prompt.length));
            }
            LoraHyperparameters hp = new LoraHyperparameters(8, 16f, 0.05f, EnumSet.allOf(LoraTarget.class), 3e-3f,
                    1, 8, 0f, 1f, 2, 128, 42);
            try (LoraTrainer trainer = LoraTrainer.start(model, hp)) {
                float before = trainer.validationLoss(examples);
                List<Float> losses = new ArrayList<>();
                for (int s = 0; s < hp.totalSteps(); s++) {
                    losses.add(trainer.step(examples).loss());
                }
                float after = trainer.validationLoss(examples);
                System.out.printf("SmolLM2-135M: answer loss %.3f -> %.3f; step losses %s%n", before, after, losses);
                assertThat(losses.getFirst()).as("the first step starts from the base model").isCloseTo(before,
                        org.assertj.core.data.Offset.offset(0.3f));
                assertThat(after).as("answer loss after 8 steps").isLessThan(before / 3);

                Path adapterFile = dir.resolve("format.lora.gguf");
                trainer.writeAdapter(adapterFile, "format");
                LoraAdapter adapter = LoraAdapter.load(adapterFile, model, "format", 1f);
                int[] tokens = examples.getFirst().tokens();
                float[] trained = trainer.logits(tokens);
                float[] served = EngineLogits.of(model, tokens, adapter);
                float difference = EngineLogits.maxDifference(trained, served);
                System.out.printf("SmolLM2-135M: served vs trained logits, largest difference %.2e%n", difference);
                assertThat(difference).as("served vs trained logits").isLessThan(1e-3f);
            }
        }
    }
}
