package dev.hanul.engine.train;

import java.util.List;

/**
 * AdamW (decoupled weight decay) with PyTorch's defaults, betas (0.9, 0.999) and eps 1e-8, in PyTorch's order of
 * operations: decay the weights, update the moments, step by {@code lr / (1 - beta1^t)} times
 * {@code m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}.
 */
final class AdamW {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPS = 1e-8f;

    /** First and second moments of every pair's A and B, in {@link LoraParameters#all()} order. */
    final float[][] firstA;
    final float[][] secondA;
    final float[][] firstB;
    final float[][] secondB;
    private final float weightDecay;

    AdamW(List<LoraPair> pairs, float weightDecay) {
        this.weightDecay = weightDecay;
        int n = pairs.size();
        firstA = new float[n][];
        secondA = new float[n][];
        firstB = new float[n][];
        secondB = new float[n][];
        for (int i = 0; i < n; i++) {
            firstA[i] = new float[pairs.get(i).a.length];
            secondA[i] = new float[pairs.get(i).a.length];
            firstB[i] = new float[pairs.get(i).b.length];
            secondB[i] = new float[pairs.get(i).b.length];
        }
    }

    /** Update number {@code t} (from 1) at learning rate {@code lr}. */
    void update(List<LoraPair> pairs, int t, float lr) {
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2Sqrt = Math.sqrt(1 - Math.pow(BETA2, t));
        float stepSize = (float) (lr / correction1);
        for (int i = 0; i < pairs.size(); i++) {
            LoraPair pair = pairs.get(i);
            update(pair.a, pair.gradA, firstA[i], secondA[i], lr, stepSize, (float) correction2Sqrt);
            update(pair.b, pair.gradB, firstB[i], secondB[i], lr, stepSize, (float) correction2Sqrt);
        }
    }

    private void update(float[] p, float[] g, float[] m, float[] v, float lr, float stepSize, float correction2Sqrt) {
        float decay = 1f - lr * weightDecay;
        for (int j = 0; j < p.length; j++) {
            p[j] *= decay;
            m[j] += (1f - BETA1) * (g[j] - m[j]);
            v[j] = v[j] * BETA2 + (1f - BETA2) * g[j] * g[j];
            float denominator = (float) Math.sqrt(v[j]) / correction2Sqrt + EPS;
            p[j] -= stepSize * m[j] / denominator;
        }
    }
}
