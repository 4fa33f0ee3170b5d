package dev.hanul.index;

/**
 * Rejects vectors the index cannot use, with messages that say which vector and why, before Lucene fails deeper
 * down with less context. Public so that every chunk-store backend applies the same rules.
 */
public final class VectorCheck {

    /** How far from 1 a dot-product vector's length may be; embedding models normalize in float32. */
    private static final double UNIT_TOLERANCE = 1e-3;

    private VectorCheck() {
    }

    public static void require(float[] vector, IndexConfig config, String what) {
        if (vector.length != config.dimension()) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions, but the index holds "
                    + "vectors of dimension " + config.dimension());
        }
        double squaredLength = 0;
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException(what + " has a non-finite value " + vector[i] + " at " + i);
            }
            squaredLength += (double) vector[i] * vector[i];
        }
        switch (config.similarity()) {
            case COSINE -> {
                if (squaredLength == 0) {
                    throw new IllegalArgumentException(what + " is all zeros, which has no direction for COSINE");
                }
            }
            case DOT_PRODUCT -> {
                if (Math.abs(Math.sqrt(squaredLength) - 1) > UNIT_TOLERANCE) {
                    throw new IllegalArgumentException(what + " has length " + Math.sqrt(squaredLength)
                            + ", but DOT_PRODUCT needs unit-length vectors (normalize it, or use COSINE)");
                }
            }
            case EUCLIDEAN -> {
            }
        }
    }
}
