package dev.hanul.engine.backend.cpu;

/** The packed 6-bit scales and minimums shared by Q4_K and Q5_K (ggml's get_scale_min_k4). */
final class KQuants {

    static final int SCALES_BYTES = 12;

    private KQuants() {
    }

    /** Scale of sub-block {@code j} (0..7) from the 12 scale bytes {@code q}. */
    static int scale(int j, byte[] q) {
        return j < 4 ? q[j] & 63 : (q[j + 4] & 0xF) | ((q[j - 4] & 0xFF) >>> 6) << 4;
    }

    /** Minimum of sub-block {@code j} (0..7) from the 12 scale bytes {@code q}. */
    static int min(int j, byte[] q) {
        return j < 4 ? q[j + 4] & 63 : ((q[j + 4] & 0xFF) >>> 4) | ((q[j] & 0xFF) >>> 6) << 4;
    }
}
