package dev.hanul.engine.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The log probability of a sampled token and of the most likely alternatives, from the model's raw distribution
 * (log-softmax of the logits, before penalties, temperature and filtering: what vLLM reports by default).
 */
public record Logprobs(TokenLogprob sampled, List<TokenLogprob> top) {

    public Logprobs {
        top = List.copyOf(top);
    }

    public static Logprobs of(float[] logits, int offset, int vocabulary, int token, int alternatives) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabulary; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocabulary; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        float logNormalizer = (float) (max + Math.log(sum));
        int[] best = new int[Math.min(alternatives, vocabulary)];
        int count = TopK.largest(logits, offset, vocabulary, alternatives, best);
        List<TokenLogprob> top = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            top.add(new TokenLogprob(best[i], logits[offset + best[i]] - logNormalizer));
        }
        return new Logprobs(new TokenLogprob(token, logits[offset + token] - logNormalizer), top);
    }
}
