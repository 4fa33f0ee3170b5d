package dev.hanul.engine.train;

/**
 * Rotary position embedding as the engine applies it: adjacent feature pairs (GGML's normal RoPE, the Llama
 * converter's permuted Q/K layout) or pairs {@code i, i + d/2} (NEOX, Hugging Face's rotate_half), angle
 * {@code position * frequency[i]}. A rotation's gradient is the rotation by the opposite angle.
 */
final class Rope {

    private Rope() {
    }

    /**
     * Rotates each head of {@code tokens} rows of {@code heads * headDim} features by {@code direction} (1 forward,
     * -1 backward) times its angle.
     */
    static void rotate(float[] v, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
                       float[] frequencies, boolean neox, float magnitude, int direction) {
        int pairs = rotaryDim / 2;
        float[] cos = new float[pairs];
        float[] sin = new float[pairs];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < pairs; i++) {
                double angle = positions[t] * (double) frequencies[i];
                cos[i] = (float) Math.cos(angle) * magnitude;
                sin[i] = (float) Math.sin(angle) * magnitude * direction;
            }
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < pairs; i++) {
                    int first = neox ? base + i : base + 2 * i;
                    int second = neox ? base + i + pairs : base + 2 * i + 1;
                    float a = v[first];
                    float b = v[second];
                    v[first] = a * cos[i] - b * sin[i];
                    v[second] = a * sin[i] + b * cos[i];
                }
            }
        }
    }
}
