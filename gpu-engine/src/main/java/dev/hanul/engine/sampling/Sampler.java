package dev.hanul.engine.sampling;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks tokens from logits for one sequence, in vLLM's order: penalties (repetition over prompt and output, then
 * frequency and presence over the output), the {@link TokenConstraint}'s mask (only stop tokens once it is complete),
 * stop tokens masked until {@code min_tokens}, then greedy, or temperature, top-k, min-p and top-p filtering and a
 * seeded random draw. One sampler per sequence, with its own random source, its own history of generated tokens and
 * its own constraint state, so a seed gives the same tokens whatever else shares the batch.
 */
public final class Sampler {

    /** What {@link #sample} returns when the constraint and min_tokens together leave no token to draw. */
    public static final int NO_TOKEN = -1;

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final SamplingParams params;
    private final SplittableRandom random;
    /** Tokens of the prompt, for the repetition penalty; empty when it is off. */
    private final BitSet prompt;
    /** How often each token was generated (index = token), for the penalties; grown on demand. */
    private int[] outputCounts = new int[0];
    private final int[] stopTokens;
    /** Null when the output is free. */
    private final TokenConstraint constraint;
    private int generated;
    private float[] adjusted = new float[0];
    private int[] ids = new int[0];
    private float[] probabilities = new float[0];

    /** A sampler with the parameters' seed (or a random one), no prompt and no stop tokens to mask. */
    public Sampler(SamplingParams params) {
        this(params, params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong(), new int[0],
                List.of());
    }

    /**
     * @param seed       the seed of this sequence's random draws (see {@link #seedOf})
     * @param prompt     the prompt's tokens, for the repetition penalty
     * @param stopTokens the tokens that would end this sequence, made impossible until {@code min_tokens}
     */
    public Sampler(SamplingParams params, long seed, int[] prompt, Collection<Integer> stopTokens) {
        this.params = params;
        this.random = new SplittableRandom(seed);
        this.prompt = new BitSet();
        if (params.repetitionPenalty() != 1f) {
            for (int token : prompt) {
                this.prompt.set(token);
            }
        }
        this.stopTokens = stopTokens.stream().mapToInt(Integer::intValue).toArray();
        this.constraint = params.constraint() == null ? null : params.constraint().create();
    }

    /**
     * The seed of sample {@code index} of a request: the request's seed for the first, a well-mixed derivative for
     * the others (n > 1), so every sample is reproducible and none repeats another. Null seeds draw a random one.
     */
    public static long seedOf(Long seed, int index) {
        long base = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        if (index == 0) {
            return base;
        }
        long z = base + index * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * The next token from {@code logits[offset .. offset + vocabulary)}, which are left unchanged, or
     * {@link #NO_TOKEN} when the constraint allows none (see {@link #constraintComplete()} for why).
     */
    public int sample(float[] logits, int offset, int vocabulary) {
        float[] row = logits;
        int base = offset;
        if (constraint != null || params.penalized() || generated < params.minTokens() && stopTokens.length > 0) {
            row = adjust(logits, offset, vocabulary);
            base = 0;
            if (constraint != null && !anyAllowed(row, vocabulary)) {
                return NO_TOKEN;
            }
        }
        int token = params.greedy() ? argmax(row, base, vocabulary) : draw(row, base, vocabulary);
        record(token);
        return token;
    }

    /**
     * Whether the constraint's output is whole, so that a {@link #NO_TOKEN} means the sample is done (no stop token
     * may be drawn: ignore_eos, or min_tokens not reached); false without a constraint.
     */
    public boolean constraintComplete() {
        return constraint != null && constraint.complete();
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

    private void record(int token) {
        generated++;
        if (params.penalized()) {
            if (token >= outputCounts.length) {
                outputCounts = Arrays.copyOf(outputCounts, Math.max(token + 1, 2 * outputCounts.length));
            }
            outputCounts[token]++;
        }
        if (constraint != null) {
            constraint.accept(token);
        }
    }

    /**
     * A copy of the logits with the penalties applied, the tokens the constraint forbids masked and, before
     * min_tokens, the stop tokens masked.
     */
    private float[] adjust(float[] logits, int offset, int vocabulary) {
        if (adjusted.length < vocabulary) {
            adjusted = new float[vocabulary];
        }
        System.arraycopy(logits, offset, adjusted, 0, vocabulary);
        if (params.penalized()) {
            float repetition = params.repetitionPenalty();
            for (int token = prompt.nextSetBit(0); token >= 0 && token < vocabulary;
                 token = prompt.nextSetBit(token + 1)) {
                adjusted[token] = repetition(adjusted[token], repetition);
            }
            for (int token = 0; token < Math.min(outputCounts.length, vocabulary); token++) {
                int count = outputCounts[token];
                if (count > 0) {
                    if (!prompt.get(token)) {
                        adjusted[token] = repetition(adjusted[token], repetition);
                    }
                    adjusted[token] -= params.frequencyPenalty() * count + params.presencePenalty();
                }
            }
        }
        if (constraint != null) {
            if (constraint.complete()) {
                onlyStopTokens(vocabulary);
            } else if (constraint.mayEnd()) {
                float[] kept = stopLogits(vocabulary);
                constraint.mask(adjusted, 0, vocabulary);
                restoreStopLogits(kept, vocabulary);
            } else {
                constraint.mask(adjusted, 0, vocabulary);
            }
        }
        if (generated < params.minTokens()) {
            for (int token : stopTokens) {
                if (token < vocabulary) {
                    adjusted[token] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        return adjusted;
    }

    private void onlyStopTokens(int vocabulary) {
        float[] kept = stopLogits(vocabulary);
        Arrays.fill(adjusted, 0, vocabulary, Float.NEGATIVE_INFINITY);
        restoreStopLogits(kept, vocabulary);
    }

    private float[] stopLogits(int vocabulary) {
        float[] kept = new float[stopTokens.length];
        for (int i = 0; i < stopTokens.length; i++) {
            kept[i] = stopTokens[i] < vocabulary ? adjusted[stopTokens[i]] : Float.NEGATIVE_INFINITY;
        }
        return kept;
    }

    private void restoreStopLogits(float[] kept, int vocabulary) {
        for (int i = 0; i < stopTokens.length; i++) {
            if (stopTokens[i] < vocabulary) {
                adjusted[stopTokens[i]] = kept[i];
            }
        }
    }

    private static boolean anyAllowed(float[] row, int vocabulary) {
        for (int i = 0; i < vocabulary; i++) {
            if (row[i] != Float.NEGATIVE_INFINITY) {
                return true;
            }
        }
        return false;
    }

    private static float repetition(float logit, float penalty) {
        return logit > 0 ? logit / penalty : logit * penalty;
    }

    private int draw(float[] logits, int offset, int vocabulary) {
        int count = candidates(logits, offset, vocabulary);
        softmax(count);
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

    /** Fills ids/probabilities with logits / temperature of the top-k tokens, or of all tokens when top-k is off. */
    private int candidates(float[] logits, int offset, int vocabulary) {
        if (ids.length < vocabulary) {
            ids = new int[vocabulary];
            probabilities = new float[vocabulary];
        }
        int k;
        if (params.topK() > 0 && params.topK() < vocabulary) {
            k = TopK.largest(logits, offset, vocabulary, params.topK(), ids);
        } else {
            k = vocabulary;
            for (int i = 0; i < k; i++) {
                ids[i] = i;
            }
        }
        for (int i = 0; i < k; i++) {
            probabilities[i] = logits[offset + ids[i]] / params.temperature();
        }
        return k;
    }

    private void softmax(int count) {
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
        // Sort by probability, most likely first, through keys that pack (probability bits, position): positive
        // floats order like their bits, and equal probabilities keep their order.
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = (long) Float.floatToIntBits(probabilities[i]) << 32 | (count - 1 - i);
        }
        Arrays.sort(keys);
        int[] sortedIds = new int[count];
        float[] sortedProbabilities = new float[count];
        float cumulative = 0;
        int kept = 0;
        while (kept < count && cumulative < params.topP()) {
            int i = count - 1 - (int) keys[count - 1 - kept];
            sortedIds[kept] = ids[i];
            sortedProbabilities[kept] = probabilities[i];
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
