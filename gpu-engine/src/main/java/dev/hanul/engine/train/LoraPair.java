package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraTarget;

/**
 * The trained pair of one adapted matrix {@code W} ({@code out x in}): {@code y = W x + scale * B (A x')}, where
 * {@code x'} is the input after LoRA dropout, {@code A} is {@code rank x in} and {@code B} {@code out x rank}, both
 * row-major as llama.cpp's {@code lora_a} / {@code lora_b} (unscaled). Holds its gradients beside its values.
 */
final class LoraPair {

    final int layer;
    final LoraTarget target;
    final int rank;
    final int in;
    final int out;
    final float scale;
    final float[] a;
    final float[] b;
    final float[] gradA;
    final float[] gradB;

    LoraPair(int layer, LoraTarget target, int rank, int in, int out, float scale) {
        this.layer = layer;
        this.target = target;
        this.rank = rank;
        this.in = in;
        this.out = out;
        this.scale = scale;
        this.a = new float[rank * in];
        this.b = new float[out * rank];
        this.gradA = new float[a.length];
        this.gradB = new float[b.length];
    }

    /** {@code mid[t] = A x[t]}; {@code y[t] += scale * B mid[t]}, for {@code tokens} rows. */
    void forward(float[] x, int tokens, float[] mid, float[] y) {
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < rank; j++) {
                mid[t * rank + j] = VectorMath.dot(a, j * in, x, t * in, in);
            }
            for (int o = 0; o < out; o++) {
                float sum = 0;
                for (int j = 0; j < rank; j++) {
                    sum += b[o * rank + j] * mid[t * rank + j];
                }
                y[t * out + o] += scale * sum;
            }
        }
    }

    /**
     * Adds this pair's share of the gradients for output gradient {@code dy}, with {@code x} and {@code mid} as the
     * forward pass saw them, and writes the gradient of the LoRA path's input into {@code dx} (overwriting it).
     */
    void backward(float[] x, float[] mid, float[] dy, int tokens, float[] dMid, float[] dx) {
        for (int t = 0; t < tokens; t++) {
            int m = t * rank;
            for (int j = 0; j < rank; j++) {
                dMid[m + j] = 0;
            }
            for (int o = 0; o < out; o++) {
                float g = scale * dy[t * out + o];
                if (g == 0) {
                    continue;
                }
                int bo = o * rank;
                for (int j = 0; j < rank; j++) {
                    gradB[bo + j] += g * mid[m + j];
                    dMid[m + j] += g * b[bo + j];
                }
            }
            for (int j = 0; j < rank; j++) {
                VectorMath.axpy(dMid[m + j], x, t * in, gradA, j * in, in);
            }
            java.util.Arrays.fill(dx, t * in, (t + 1) * in, 0f);
            for (int j = 0; j < rank; j++) {
                VectorMath.axpy(dMid[m + j], a, j * in, dx, t * in, in);
            }
        }
    }

    long parameters() {
        return a.length + (long) b.length;
    }

    @Override
    public String toString() {
        return "blk.%d.%s".formatted(layer, target.shortName());
    }
}
