package dev.hanul.engine.backend.cpu;

/**
 * A quantized weight matrix repacked for integer products with {@link Q8Activations}: rows in groups of
 * {@link Int8Species#G}, one 16-bit lane per row, so that a vector load brings the same block position of every row of
 * a group, one activation value is broadcast against it, and the group's results come out as whole vectors (no
 * reduction across lanes). The last group is padded with zero rows.
 *
 * <p>A token's result depends only on its own activations: the integer part is exact and the float steps (one
 * multiply-add per block) run in the same order whether the token is alone or in a batch.
 */
sealed interface PackedRows permits PackedQ4Rows, PackedQ8Rows {

    int rows();

    int columns();

    /** Row groups: the unit of work split over threads. */
    default int groups() {
        return (rows() + Int8Species.G - 1) / Int8Species.G;
    }

    /** {@code out[t * rows + r] = row r . x[t]} for every token of {@code x} and rows of groups {@code [from, to)}. */
    void multiply(Q8Activations x, float[] out, int from, int to);

    static PackedRows of(CpuMatrix matrix) {
        return switch (matrix.type()) {
            case Q4_0, Q4_1, Q4_K -> PackedQ4Rows.pack(matrix);
            case Q8_0, Q5_0, Q5_K, Q6_K -> PackedQ8Rows.pack(matrix);
            default -> null;
        };
    }
}
