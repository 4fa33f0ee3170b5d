package dev.hanul.engine.train;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The tiny random models and data the training tests run on. */
final class TinyModels {

    /** dim 32, 2 layers, ffn 64, 4 query heads over 2 KV heads, 64 tokens: small enough to difference every weight. */
    static final ModelShape TINY = new ModelShape(32, 2, 64, 4, 2, 64, 128, 10000f, true);

    private TinyModels() {
    }

    static Path write(Path dir, ModelShape shape, GgmlType type, long seed) {
        Path file = dir.resolve("tiny-%d-%s.gguf".formatted(seed, type));
        SyntheticModel.write(shape, type, seed, null, file);
        return file;
    }

    /** Examples of random lengths whose first third is prompt (weight 0) and the rest completion (weight 1 or 2). */
    static List<TrainingExample> examples(int count, int minLength, int maxLength, int vocabulary, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TrainingExample> examples = new ArrayList<>();
        for (int e = 0; e < count; e++) {
            int length = random.nextInt(minLength, maxLength + 1);
            int[] tokens = random.ints(length, 0, vocabulary).toArray();
            float[] weights = new float[length];
            for (int i = length / 3; i < length; i++) {
                weights[i] = e % 2 == 0 ? 1f : 2f;
            }
            weights[length - 1] = 1f;
            examples.add(new TrainingExample(tokens, weights));
        }
        return examples;
    }
}
