package dev.hanul.engine.train;

/** Softmax cross-entropy of one row of logits, with its gradient written over the logits. */
final class CrossEntropy {

    private CrossEntropy() {
    }

    /**
     * Returns {@code -log softmax(z)[target]} for the {@code vocabulary} logits at {@code offset}; when
     * {@code gradientScale != 0} replaces them by {@code gradientScale * (softmax(z) - onehot(target))}.
     */
    static double lossAndGradient(float[] z, int offset, int vocabulary, int target, float gradientScale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabulary; i++) {
            max = Math.max(max, z[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocabulary; i++) {
            sum += Math.exp(z[offset + i] - max);
        }
        double logSum = max + Math.log(sum);
        double loss = logSum - z[offset + target];
        if (gradientScale != 0) {
            for (int i = 0; i < vocabulary; i++) {
                z[offset + i] = (float) (gradientScale * Math.exp(z[offset + i] - logSum));
            }
            z[offset + target] -= gradientScale;
        }
        return loss;
    }
}
