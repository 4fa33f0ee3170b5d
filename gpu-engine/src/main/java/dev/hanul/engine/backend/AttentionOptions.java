package dev.hanul.engine.backend;

/**
 * How one layer's attention differs from plain causal softmax attention: {@code scale} multiplies the dot products,
 * {@code softCap > 0} squashes the scaled scores to {@code softCap * tanh(score / softCap)} before the softmax, and
 * {@code window > 0} lets a token see only the {@code window} most recent positions (itself included).
 */
public record AttentionOptions(float scale, float softCap, int window) {

    public AttentionOptions {
        if (!(scale > 0) || softCap < 0 || window < 0) {
            throw new IllegalArgumentException("attention scale must be > 0, soft cap and window >= 0: "
                    + scale + ", " + softCap + ", " + window);
        }
    }

    /** Plain attention: scores scaled by 1/sqrt(headDim), no cap, no window. */
    public static AttentionOptions standard(int headDim) {
        return new AttentionOptions((float) (1.0 / Math.sqrt(headDim)), 0f, 0);
    }

    /** The first position a token at {@code position} attends to. */
    public int firstVisible(int position) {
        return window == 0 ? 0 : Math.max(0, position - window + 1);
    }
}
