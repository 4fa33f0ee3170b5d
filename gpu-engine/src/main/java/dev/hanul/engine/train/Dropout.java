package dev.hanul.engine.train;

/**
 * LoRA dropout as PEFT applies it: each adapted matrix drops features of its own copy of the input
 * ({@code lora_B(lora_A(dropout(x)))}), scaling the kept ones by {@code 1 / (1 - p)}. The mask of a (step, row, layer,
 * target) is a pure function of the run's seed, so backward regenerates it instead of keeping it, and a resumed run
 * draws the same masks as an uninterrupted one.
 */
final class Dropout {

    private Dropout() {
    }

    /**
     * Writes {@code x} with dropout applied into {@code out} and the per-element factor (0 or {@code 1 / (1 - p)})
     * into {@code mask}, for {@code count} floats.
     */
    static void apply(float p, long stream, float[] x, int count, float[] out, float[] mask) {
        float keep = 1f / (1f - p);
        long state = stream;
        for (int i = 0; i < count; i++) {
            state += 0x9e3779b97f4a7c15L;
            double u = (Rng.mix(state) >>> 11) * 0x1.0p-53;
            mask[i] = u < p ? 0f : keep;
            out[i] = x[i] * mask[i];
        }
    }

    /** The stream of one (step, row, layer, target). */
    static long stream(long seed, int step, int row, int layer, int target) {
        long s = Rng.mix(seed ^ 0x5bd1e995L);
        s = Rng.mix(s + step);
        s = Rng.mix(s + row);
        s = Rng.mix(s + layer);
        return Rng.mix(s + target);
    }
}
