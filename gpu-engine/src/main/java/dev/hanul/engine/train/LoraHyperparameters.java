package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraTarget;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a LoRA fine-tune is: the adapter's shape (rank, alpha, dropout, targets) and the optimizer's schedule. The
 * names and meanings follow PEFT's LoraConfig and Hugging Face's TrainingArguments, so a run can be repeated there.
 *
 * @param rank                      rank r of every adapted matrix (A is r x in, B is out x r)
 * @param alpha                     the delta is scaled by alpha / rank (PEFT and llama.cpp alike)
 * @param dropout                   probability of dropping an input feature of the LoRA path (PEFT's lora_dropout);
 *                                  the frozen path never sees dropout
 * @param targets                   which matrices of every block get an adapter
 * @param learningRate              peak learning rate, reached after the warm-up
 * @param warmupSteps               optimizer steps of linear warm-up from 0 (Hugging Face's cosine schedule: step s
 *                                  uses {@code lr * s / warmup} while {@code s < warmup})
 * @param totalSteps                optimizer steps of the whole run; the cosine decay reaches 0 there
 * @param weightDecay               AdamW's decoupled weight decay
 * @param maxGradNorm               clip the global gradient norm to this (0: no clipping)
 * @param gradientAccumulationSteps micro-batches one step's batch is split into (their gradients add up; the loss is
 *                                  normalized over the whole batch, so the result does not depend on the split)
 * @param sequenceLength            tokens of one packed row: examples are packed into rows of at most this length
 * @param seed                      seeds the initialization of A and the dropout masks
 */
public record LoraHyperparameters(int rank, float alpha, float dropout, Set<LoraTarget> targets,
                                  float learningRate, int warmupSteps, int totalSteps, float weightDecay,
                                  float maxGradNorm, int gradientAccumulationSteps, int sequenceLength, long seed) {

    public LoraHyperparameters {
        require(rank >= 1 && rank <= 1024, "rank must be between 1 and 1024, got " + rank);
        require(Float.isFinite(alpha) && alpha > 0, "alpha must be a positive number, got " + alpha);
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
        require(targets != null && !targets.isEmpty(),
                "targets must name at least one of " + EnumSet.allOf(LoraTarget.class));
        require(Float.isFinite(learningRate) && learningRate > 0,
                "learningRate must be a positive number, got " + learningRate);
        require(totalSteps >= 1, "totalSteps must be at least 1, got " + totalSteps);
        require(warmupSteps >= 0 && warmupSteps <= totalSteps,
                "warmupSteps must be between 0 and totalSteps (%d), got %d".formatted(totalSteps, warmupSteps));
        require(Float.isFinite(weightDecay) && weightDecay >= 0,
                "weightDecay must be 0 or more, got " + weightDecay);
        require(Float.isFinite(maxGradNorm) && maxGradNorm >= 0,
                "maxGradNorm must be 0 (no clipping) or more, got " + maxGradNorm);
        require(gradientAccumulationSteps >= 1,
                "gradientAccumulationSteps must be at least 1, got " + gradientAccumulationSteps);
        require(sequenceLength >= 2, "sequenceLength must be at least 2 tokens, got " + sequenceLength);
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** PEFT-like defaults: rank 8, alpha 16, dropout 0.05, every target, lr 2e-4, 10% warm-up, cosine decay. */
    public static LoraHyperparameters defaults(int totalSteps, long seed) {
        return new LoraHyperparameters(8, 16f, 0.05f, EnumSet.allOf(LoraTarget.class), 2e-4f,
                Math.max(0, totalSteps / 10), totalSteps, 0f, 1f, 1, 512, seed);
    }

    /** What B A is multiplied by: alpha / rank. */
    public float scale() {
        return alpha / rank;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("LoRA hyper-parameters: " + message);
        }
    }
}
