package dev.hanul.engine.train;

/**
 * One training sequence: its tokens and, per token, how much predicting it counts (as Hugging Face's labels, aligned
 * with the tokens): the loss is the cross-entropy of predicting {@code tokens[i]} from {@code tokens[0..i-1]}, weighted by
 * {@code lossWeights[i]}: 0 for prompt tokens (system, user, template), the assistant turn's weight otherwise. The first
 * weight is unused (nothing predicts the first token).
 */
public record TrainingExample(int[] tokens, float[] lossWeights) {

    public TrainingExample {
        if (tokens == null || lossWeights == null) {
            throw new IllegalArgumentException("a training example needs tokens and loss weights");
        }
        if (tokens.length < 2) {
            throw new IllegalArgumentException("a training example needs at least 2 tokens, got " + tokens.length);
        }
        if (lossWeights.length != tokens.length) {
            throw new IllegalArgumentException("a training example needs one loss weight per token: %d tokens, %d weights"
                    .formatted(tokens.length, lossWeights.length));
        }
        for (int i = 0; i < lossWeights.length; i++) {
            if (!(lossWeights[i] >= 0) || Float.isInfinite(lossWeights[i])) {
                throw new IllegalArgumentException("loss weight %d is %s; weights must be finite and 0 or more"
                        .formatted(i, lossWeights[i]));
            }
        }
    }

    /** Every next-token prediction counts with weight 1 (plain language-model training). */
    public static TrainingExample allTokens(int[] tokens) {
        float[] weights = new float[tokens.length];
        java.util.Arrays.fill(weights, 1f);
        return new TrainingExample(tokens, weights);
    }

    /** Only the completion counts: {@code tokens[promptLength..]} get weight 1, the prompt's tokens 0. */
    public static TrainingExample completion(int[] tokens, int promptLength) {
        if (promptLength < 1 || promptLength >= tokens.length) {
            throw new IllegalArgumentException("prompt length must be between 1 and %d, got %d"
                    .formatted(tokens.length - 1, promptLength));
        }
        float[] weights = new float[tokens.length];
        java.util.Arrays.fill(weights, promptLength, tokens.length, 1f);
        return new TrainingExample(tokens, weights);
    }

    public int length() {
        return tokens.length;
    }

    /** Sum of the weights of the predicted tokens (all but the first). */
    public double weight() {
        double sum = 0;
        for (int i = 1; i < lossWeights.length; i++) {
            sum += lossWeights[i];
        }
        return sum;
    }
}
