package dev.hanul.engine.train;

import java.util.stream.IntStream;

/**
 * Grouped-query causal attention over one packed row: token {@code t} attends to the tokens of its own example up to
 * itself ({@code sequenceStart[t] .. t}). The forward pass keeps only each query's log-sum-exp; backward recomputes the
 * probabilities from it (as FlashAttention does) instead of keeping {@code tokens^2} of them per head and layer.
 */
final class CausalAttention {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    CausalAttention(int heads, int kvHeads, int headDim, float scale) {
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = scale;
    }

    /** {@code out} ({@code tokens x heads*headDim}) and {@code lse} ({@code tokens x heads}) from q, k, v. */
    void forward(float[] q, float[] k, float[] v, int tokens, int[] sequenceStart, float[] out, float[] lse) {
        int group = heads / kvHeads;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        IntStream.range(0, tokens).parallel().forEach(t -> {
            float[] scores = new float[t - sequenceStart[t] + 1];
            for (int h = 0; h < heads; h++) {
                int qo = t * qDim + h * headDim;
                int kvo = (h / group) * headDim;
                int from = sequenceStart[t];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = from; j <= t; j++) {
                    float s = scale * VectorMath.dot(q, qo, k, j * kvDim + kvo, headDim);
                    scores[j - from] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int j = from; j <= t; j++) {
                    sum += Math.exp(scores[j - from] - max);
                }
                float logSum = (float) (max + Math.log(sum));
                lse[t * heads + h] = logSum;
                java.util.Arrays.fill(out, qo, qo + headDim, 0f);
                for (int j = from; j <= t; j++) {
                    float p = (float) Math.exp(scores[j - from] - logSum);
                    VectorMath.axpy(p, v, j * kvDim + kvo, out, qo, headDim);
                }
            }
        });
    }

    /**
     * Adds the gradients of q, k and v for output gradient {@code dOut}. Work is split by KV head, which owns its
     * columns of dk and dv and the dq of its query heads, so no two threads write the same float.
     */
    void backward(float[] q, float[] k, float[] v, float[] out, float[] lse, float[] dOut, int tokens,
                  int[] sequenceStart, float[] dq, float[] dk, float[] dv) {
        int group = heads / kvHeads;
        int qDim = heads * headDim;
        int kvDim = kvHeads * headDim;
        IntStream.range(0, kvHeads).parallel().forEach(kvh -> {
            int kvo = kvh * headDim;
            for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                for (int t = 0; t < tokens; t++) {
                    int qo = t * qDim + h * headDim;
                    float delta = VectorMath.dot(dOut, qo, out, qo, headDim);
                    float logSum = lse[t * heads + h];
                    for (int j = sequenceStart[t]; j <= t; j++) {
                        int ko = j * kvDim + kvo;
                        float p = (float) Math.exp(scale * VectorMath.dot(q, qo, k, ko, headDim) - logSum);
                        VectorMath.axpy(p, dOut, qo, dv, ko, headDim);
                        float dScore = p * (VectorMath.dot(dOut, qo, v, ko, headDim) - delta) * scale;
                        VectorMath.axpy(dScore, k, ko, dq, qo, headDim);
                        VectorMath.axpy(dScore, q, qo, dk, ko, headDim);
                    }
                }
            }
        });
    }
}
