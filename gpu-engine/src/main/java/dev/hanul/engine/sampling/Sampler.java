package dev.hanul.engine.sampling;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks tokens from logits: greedy, or temperature then top-k, min-p and top-p filtering (vLLM's order), then a
 * seeded random draw. One sampler per sequence, so a seed gives the same tokens whatever else shares the batch.
 */
public final class Sampler {

    private final SamplingParams params;
    private final Random random;
    private int[] ids = new int[0];
    private float[] probabilities = new float[0];

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new Random(params.seed() != null ? params.seed() : new Random().nextLong());
    }

    /** The next token from {@code logits[offset .. offset + vocabulary)}. */
    public int sample(float[] logits, int offset, int vocabulary) {
        if (params.greedy()) {
            return argmax(logits, offset, vocabulary);
        }
        int count = candidates(logits, offset, vocabulary);
        count = softmax(count);
        count = minP(count);
        count = topP(count);
        float total = 0;
        for (int i = 0; i < count; i++) {
            total += probabilities[i];
        }
        float r = random.nextFloat() * total;
        for (int i = 0; i < count; i++) {
            r -= probabilities[i];
            if (r <= 0) {
                return ids[i];
            }
        }
        return ids[count - 1];
    }

    public static int argmax(float[] logits, int offset, int vocabulary) {
        int best = 0;
        for (int i = 1; i < vocabulary; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Fills ids/probabilities with logits / temperature of the top-k tokens, or of all tokens when top-k is off. */
    private int candidates(float[] logits, int offset, int vocabulary) {
        int k = params.topK() > 0 ? Math.min(params.topK(), vocabulary) : vocabulary;
        if (ids.length < vocabulary) {
            ids = new int[vocabulary];
            probabilities = new float[vocabulary];
        }
        if (k == vocabulary) {
            for (int i = 0; i < vocabulary; i++) {
                ids[i] = i;
                probabilities[i] = logits[offset + i] / params.temperature();
            }
            return k;
        }
        Integer[] order = new Integer[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
        for (int i = 0; i < k; i++) {
            ids[i] = order[i];
            probabilities[i] = logits[offset + order[i]] / params.temperature();
        }
        return k;
    }

    private int softmax(int count) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, probabilities[i]);
        }
        float sum = 0;
        for (int i = 0; i < count; i++) {
            probabilities[i] = (float) Math.exp(probabilities[i] - max);
            sum += probabilities[i];
        }
        for (int i = 0; i < count; i++) {
            probabilities[i] /= sum;
        }
        return count;
    }

    private int minP(int count) {
        if (params.minP() <= 0) {
            return count;
        }
        float max = 0;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, probabilities[i]);
        }
        return keep(count, params.minP() * max);
    }

    private int topP(int count) {
        if (params.topP() >= 1) {
            return count;
        }
        // Tokens below (1 - p) / (n - 1) can never be in the nucleus: drop them before sorting (llama2.c's trick).
        count = keep(count, (1 - params.topP()) / Math.max(1, count - 1));
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        int[] sortedIds = new int[count];
        float[] sortedProbabilities = new float[count];
        float cumulative = 0;
        int kept = 0;
        while (kept < count && cumulative < params.topP()) {
            sortedIds[kept] = ids[order[kept]];
            sortedProbabilities[kept] = probabilities[order[kept]];
            cumulative += sortedProbabilities[kept];
            kept++;
        }
        System.arraycopy(sortedIds, 0, ids, 0, kept);
        System.arraycopy(sortedProbabilities, 0, probabilities, 0, kept);
        return kept;
    }

    /** Compacts the candidates to those with probability at least {@code threshold}, keeping at least one. */
    private int keep(int count, float threshold) {
        int kept = 0;
        int best = 0;
        for (int i = 0; i < count; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        int bestId = ids[best];
        float bestProbability = probabilities[best];
        for (int i = 0; i < count; i++) {
            if (probabilities[i] >= threshold) {
                ids[kept] = ids[i];
                probabilities[kept++] = probabilities[i];
            }
        }
        if (kept == 0) {
            ids[0] = bestId;
            probabilities[0] = bestProbability;
            kept = 1;
        }
        return kept;
    }
}
