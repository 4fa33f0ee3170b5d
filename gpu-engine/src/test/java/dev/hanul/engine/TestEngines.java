package dev.hanul.engine;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Models and configurations the engine tests share. */
final class TestEngines {

    /** A tiny random model (2 layers, dim 32, vocabulary 64): thousands of requests run in seconds. */
    static final ModelShape TINY = new ModelShape(32, 2, 64, 4, 2, 64, 1024, 10000f, true);
    /** Stories260K's proportions in Q8_0-friendly sizes, with a context long enough for 1,000-token prompts. */
    static final ModelShape SMALL = new ModelShape(64, 4, 192, 8, 4, 512, 2048, 10000f, true);

    private TestEngines() {
    }

    static Path synthesize(Path dir, ModelShape shape, GgmlType type) {
        Path file = dir.resolve("%dx%d-%s.gguf".formatted(shape.dim(), shape.layers(), type));
        SyntheticModel.write(shape, type, 5, null, file);
        return file;
    }

    static int[] randomTokens(SplittableRandom random, int length, int vocabulary) {
        return random.ints(length, 0, vocabulary).toArray();
    }
}
