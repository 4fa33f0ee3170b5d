package dev.hanul.finetune;

/**
 * A conversation as the model reads it, with the weight of each token in the loss: the token's own weight (it is
 * predicted from the ones before), 1 inside a learned assistant turn, 0 elsewhere.
 *
 * @param line the training file's line it came from
 */
record TokenizedExample(int line, int[] tokens, float[] lossWeights) {

    long learnedTokens() {
        long count = 0;
        for (float weight : lossWeights) {
            count += weight > 0 ? 1 : 0;
        }
        return count;
    }
}
