package dev.hanul.engine.train;

import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.List;

/**
 * LoRA fine-tuning of a Llama-family model on the CPU: the base weights stay frozen as the GGUF holds them (QLoRA's
 * idea: a quantized base, float adapters), the adapters A and B of the chosen targets are trained with AdamW. The
 * result is written in llama.cpp's GGUF LoRA format, which {@code LoraAdapter.load} serves.
 *
 * <p>Not thread-safe: one trainer is driven by one thread (its matrix products use the common fork-join pool).
 */
public final class LoraTrainer implements AutoCloseable {

    private final LlamaModel base;
    private final LoraHyperparameters hp;

    private LoraTrainer(LlamaModel base, LoraHyperparameters hp) {
        this.base = base;
        this.hp = hp;
    }

    /** A fresh adapter for {@code base}: A drawn as PEFT draws it (Kaiming-uniform) from {@code hp.seed()}, B = 0. */
    public static LoraTrainer start(LlamaModel base, LoraHyperparameters hp) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    /** Continues the run saved by {@link #saveCheckpoint}: the next steps are the ones the saved run would have made. */
    public static LoraTrainer resume(LlamaModel base, Path checkpoint) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    /**
     * One optimizer step over {@code batch}: the batch is split into {@code gradientAccumulationSteps} micro-batches,
     * each packed into rows of {@code sequenceLength} tokens (examples never attend to each other), their gradients
     * added up, clipped, and applied by AdamW at the scheduled learning rate.
     *
     * @throws IllegalArgumentException when an example is longer than {@code sequenceLength}, has a token outside the
     *                                  vocabulary, or the batch carries no loss weight at all
     */
    public TrainingStep step(List<TrainingExample> batch) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    /** Weighted mean cross-entropy of {@code examples} under the current adapter, without dropout. */
    public float validationLoss(List<TrainingExample> examples) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    public int completedSteps() {
        return 0;
    }

    public LoraHyperparameters hyperparameters() {
        return hp;
    }

    /** Writes adapter, AdamW moments and step to {@code file}: temp file, fsync, atomic rename. */
    public void saveCheckpoint(Path file) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    /** Writes the adapter as a llama.cpp GGUF LoRA file (what {@code LoraAdapter.load} reads). */
    public void writeAdapter(Path gguf, String name) {
        throw new UnsupportedOperationException("training is being written on branch 'train'");
    }

    @Override
    public void close() {
    }
}
