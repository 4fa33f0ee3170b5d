package dev.hanul.engine.bench;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.train.LoraHyperparameters;
import dev.hanul.engine.train.LoraTrainer;
import dev.hanul.engine.train.TrainingExample;
import dev.hanul.engine.train.TrainingStep;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LoRA training throughput: optimizer steps over a batch of {@code B} random sequences of {@code T} tokens, every
 * token predicted (loss weight 1), rank {@code R} on all seven matrices, dropout 0.05; tokens/s counts forward, backward
 * and the AdamW update. One warm-up step, then {@code S} timed steps; prints the best and the mean step.
 * Run: {@code java --add-modules jdk.incubator.vector -cp ... dev.hanul.engine.bench.TrainingBenchmark MODEL.gguf
 * [sequenceLength] [batch] [steps] [rank]}, or {@code bin/hanul bench training}.
 */
public final class TrainingBenchmark {

    private TrainingBenchmark() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int length = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int rank = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        long loaded = System.nanoTime();
        try (GgufFile gguf = GgufFile.open(file); CpuBackend backend = new CpuBackend(1)) {
            LlamaModel model = LlamaModel.load(gguf, backend);
            LoraHyperparameters hp = new LoraHyperparameters(rank, 2f * rank, 0.05f,
                    java.util.EnumSet.allOf(dev.hanul.engine.lora.LoraTarget.class), 1e-4f, 0, steps + 1, 0f, 1f, 1,
                    length, 1);
            try (LoraTrainer trainer = LoraTrainer.start(model, hp)) {
                System.out.printf("# LoRA training, %s (%s), %s; %d trainable parameters, ready in %.1f s, %d threads%n",
                        file.getFileName(), model.weightType(), LocalDate.now(), trainer.trainableParameters(),
                        (System.nanoTime() - loaded) / 1e9, Runtime.getRuntime().availableProcessors());
                SplittableRandom random = new SplittableRandom(7);
                int vocabulary = model.config().vocabularySize();
                trainer.step(examples(random, batch, length, vocabulary));
                double best = 0;
                long tokens = 0;
                long nanos = 0;
                for (int s = 0; s < steps; s++) {
                    TrainingStep step = trainer.step(examples(random, batch, length, vocabulary));
                    best = Math.max(best, step.tokensPerSecond());
                    tokens += step.tokens();
                    nanos += step.nanos();
                    System.out.printf("step %d: loss %.4f, %d tokens in %.2f s, %.1f tokens/s%n", step.step(),
                            step.loss(), step.tokens(), step.nanos() / 1e9, step.tokensPerSecond());
                }
                System.out.printf("| JVM LoRA trainer | %d x %d tokens | rank %d | best %.1f tokens/s | mean %.1f "
                        + "tokens/s |%n", batch, length, rank, best, tokens * 1e9 / nanos);
            }
        }
    }

    private static List<TrainingExample> examples(SplittableRandom random, int batch, int length, int vocabulary) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            examples.add(TrainingExample.allTokens(random.ints(length, 0, vocabulary).toArray()));
        }
        return examples;
    }
}
