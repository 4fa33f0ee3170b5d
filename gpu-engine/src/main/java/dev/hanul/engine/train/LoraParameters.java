package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every trained pair of a run, by layer and target, in one fixed order (layers, then targets in enum order). */
final class LoraParameters {

    private final LoraPair[][] byLayer;
    private final List<LoraPair> all;

    private LoraParameters(LoraPair[][] byLayer, List<LoraPair> all) {
        this.byLayer = byLayer;
        this.all = Collections.unmodifiableList(all);
    }

    /** Pairs of zeros for the targets of {@code hp} in every layer of a model shaped as {@code config}. */
    static LoraParameters allocate(LlamaConfig config, LoraHyperparameters hp) {
        LoraPair[][] byLayer = new LoraPair[config.blockCount()][LoraTarget.values().length];
        List<LoraPair> all = new ArrayList<>();
        for (int l = 0; l < config.blockCount(); l++) {
            for (LoraTarget target : LoraTarget.values()) {
                if (hp.targets().contains(target)) {
                    LoraPair pair = new LoraPair(l, target, hp.rank(), inputWidth(config, target),
                            outputWidth(config, target), hp.scale());
                    byLayer[l][target.ordinal()] = pair;
                    all.add(pair);
                }
            }
        }
        return new LoraParameters(byLayer, all);
    }

    /**
     * PEFT's initialization: A from {@code kaiming_uniform_(a=sqrt(5))}, which is uniform in
     * {@code [-1/sqrt(in), 1/sqrt(in)]}; B = 0, so training starts from the base model exactly.
     */
    void initialize(long seed) {
        Rng random = new Rng(seed);
        for (LoraPair pair : all) {
            double bound = 1.0 / Math.sqrt(pair.in);
            for (int i = 0; i < pair.a.length; i++) {
                pair.a[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            java.util.Arrays.fill(pair.b, 0f);
        }
    }

    /** The pair of {@code layer} and {@code target}, or null when the run does not adapt it. */
    LoraPair pair(int layer, LoraTarget target) {
        return byLayer[layer][target.ordinal()];
    }

    List<LoraPair> all() {
        return all;
    }

    void zeroGradients() {
        for (LoraPair pair : all) {
            java.util.Arrays.fill(pair.gradA, 0f);
            java.util.Arrays.fill(pair.gradB, 0f);
        }
    }

    /** The global L2 norm of the gradient (all tensors as one vector), summed in double. */
    double gradientNorm() {
        double sum = 0;
        for (LoraPair pair : all) {
            sum += squares(pair.gradA) + squares(pair.gradB);
        }
        return Math.sqrt(sum);
    }

    void scaleGradients(float factor) {
        for (LoraPair pair : all) {
            for (int i = 0; i < pair.gradA.length; i++) {
                pair.gradA[i] *= factor;
            }
            for (int i = 0; i < pair.gradB.length; i++) {
                pair.gradB[i] *= factor;
            }
        }
    }

    long parameterCount() {
        long count = 0;
        for (LoraPair pair : all) {
            count += pair.parameters();
        }
        return count;
    }

    private static double squares(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return sum;
    }

    static int inputWidth(LlamaConfig config, LoraTarget target) {
        return switch (target) {
            case QUERY, KEY, VALUE, GATE, UP -> config.embeddingLength();
            case ATTENTION_OUTPUT -> config.queryDim();
            case DOWN -> config.feedForwardLength();
        };
    }

    static int outputWidth(LlamaConfig config, LoraTarget target) {
        return switch (target) {
            case QUERY -> config.queryDim();
            case KEY, VALUE -> config.kvDim();
            case ATTENTION_OUTPUT, DOWN -> config.embeddingLength();
            case GATE, UP -> config.feedForwardLength();
        };
    }
}
