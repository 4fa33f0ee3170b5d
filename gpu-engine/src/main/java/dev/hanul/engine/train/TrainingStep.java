package dev.hanul.engine.train;

/**
 * What one optimizer step did.
 *
 * @param step         the step's number, from 1
 * @param loss         weighted mean cross-entropy of the batch, before the update
 * @param gradientNorm global L2 norm of the gradient before clipping
 * @param learningRate the learning rate the update used (after warm-up and decay)
 * @param tokens       tokens run forward and backward (prompt tokens included)
 * @param nanos        wall time of the step
 */
public record TrainingStep(int step, float loss, float gradientNorm, float learningRate, long tokens, long nanos) {

    /** Tokens per second, forward and backward. */
    public double tokensPerSecond() {
        return nanos == 0 ? 0 : tokens * 1e9 / nanos;
    }
}
