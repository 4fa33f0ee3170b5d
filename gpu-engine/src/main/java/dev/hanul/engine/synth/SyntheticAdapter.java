package dev.hanul.engine.synth;

import dev.hanul.engine.lora.LoraAdapterWriter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random LoRA adapters for a model's shape (separate Q/K/V and gate/up matrices, as Llama-family files keep them):
 * A and B Gaussian with standard deviation 1/sqrt(columns), so {@code B A x} is of the order of {@code W x} and an
 * adapter visibly changes the model. Tests check the engine's LoRA arithmetic with them; benchmarks time it.
 */
public final class SyntheticAdapter {

    private SyntheticAdapter() {
    }

    /** One pair per layer and target, in layer order. */
    public static List<LoraAdapterWriter.Pair> pairs(LlamaConfig config, Set<LoraTarget> targets, int rank,
                                                     long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LoraAdapterWriter.Pair> pairs = new ArrayList<>();
        for (int layer = 0; layer < config.blockCount(); layer++) {
            for (LoraTarget target : LoraTarget.values()) {
                if (!targets.contains(target)) {
                    continue;
                }
                int in = switch (target) {
                    case ATTENTION_OUTPUT -> config.queryDim();
                    case DOWN -> config.feedForwardLength();
                    default -> config.embeddingLength();
                };
                int out = switch (target) {
                    case QUERY -> config.queryDim();
                    case KEY, VALUE -> config.kvDim();
                    case ATTENTION_OUTPUT, DOWN -> config.embeddingLength();
                    case GATE, UP -> config.feedForwardLength();
                };
                pairs.add(new LoraAdapterWriter.Pair(target.tensorName(layer), rank, in, out,
                        gaussian(random, rank * in, in), gaussian(random, out * rank, rank)));
            }
        }
        return pairs;
    }

    /** Writes {@link #pairs} as a LoRA GGUF for {@code config}'s architecture. */
    public static List<LoraAdapterWriter.Pair> write(LlamaConfig config, Set<LoraTarget> targets, int rank,
                                                     float alpha, long seed, Path out) {
        List<LoraAdapterWriter.Pair> pairs = pairs(config, targets, rank, seed);
        LoraAdapterWriter writer = new LoraAdapterWriter(config.architecture(), alpha)
                .name("synthetic rank-%d adapter".formatted(rank));
        pairs.forEach(writer::add);
        writer.write(out);
        return pairs;
    }

    private static float[] gaussian(SplittableRandom random, int count, int columns) {
        float std = (float) (1 / Math.sqrt(columns));
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian() * std;
        }
        return values;
    }
}
