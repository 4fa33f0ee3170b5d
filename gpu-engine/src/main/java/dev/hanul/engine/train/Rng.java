package dev.hanul.engine.train;

/**
 * SplitMix64: a generator whose whole state is one long, so the initialization and the dropout masks of a run are
 * functions of its seed alone (a checkpoint needs no generator state beyond the seed and the step).
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        state += 0x9e3779b97f4a7c15L;
        return (mix(state) >>> 11) * 0x1.0p-53;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
