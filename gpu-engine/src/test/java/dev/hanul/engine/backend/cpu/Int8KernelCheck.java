package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgmlType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checks of the int8 kernels on random blocks, for one vector size: run by {@link Int8KernelsTest} in the test's
 * JVM (the CPU's widest vectors) and, through {@link #main}, in a child JVM forced to 256-bit vectors (the AVX2 path).
 * Each check returns the problems it found.
 */
final class Int8KernelCheck {

    /** Largest relative difference between the kernel and the same integer formula evaluated in double. */
    static final double FORMULA_TOLERANCE = 1e-5;
    /**
     * Largest error of a token's whole output (at least 37 rows), relative to its norm, against the float product
     * (measured: 0.5-1.5% on these activations, whose outliers coarsen their blocks' scales).
     */
    static final double NORM_TOLERANCE = 0.03;

    /** Row counts that are and are not multiples of a row group (16 or 32). */
    static final int[] ROWS = {64, 37, 5};
    static final int[] COLUMNS = {32, 576, 1536};
    /** The K-quants' rows are whole super-blocks of 256. */
    static final int[] K_COLUMNS = {256, 768, 1536};
    /** Every format with an int8 kernel. */
    static final List<GgmlType> TYPES = List.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0,
            GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    static final int TOKENS = 5;

    private Int8KernelCheck() {
    }

    public static void main(String[] args) {
        List<String> problems = new ArrayList<>();
        for (GgmlType type : TYPES) {
            problems.addAll(check(type));
        }
        System.out.println("int8 kernels, " + Int8Species.BITS + "-bit vectors: " + problems.size() + " problems");
        problems.stream().limit(20).forEach(System.out::println);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    static List<String> check(GgmlType type) {
        List<String> problems = new ArrayList<>();
        for (int rows : ROWS) {
            for (int columns : type.blockSize() == 256 ? K_COLUMNS : COLUMNS) {
                problems.addAll(check(type, rows, columns));
            }
        }
        return problems;
    }

    private static List<String> check(GgmlType type, int rows, int columns) {
        List<String> problems = new ArrayList<>();
        String where = "%s %dx%d".formatted(type, rows, columns);
        CpuMatrix matrix = RandomBlocks.matrix(type, rows, columns, 31L * rows + columns);
        PackedRows packed = matrix.packed();
        float[] x = RandomBlocks.activations(TOKENS, columns, rows + 7L * columns);
        Q8Activations q = new Q8Activations();
        q.reset(TOKENS, columns);
        q.quantize(x, 0, TOKENS);
        float[] batched = new float[TOKENS * rows];
        packed.multiply(q, batched, 0, packed.groups());

        float[] weights = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            matrix.dequantizeRow(r, weights, r * columns);
        }
        for (int t = 0; t < TOKENS; t++) {
            Q8Activations alone = new Q8Activations();
            alone.reset(1, columns);
            alone.quantize(Arrays.copyOfRange(x, t * columns, (t + 1) * columns), 0, 1);
            float[] single = new float[rows];
            // Split into two calls, as threads split the groups.
            int half = packed.groups() / 2;
            packed.multiply(alone, single, 0, half);
            packed.multiply(alone, single, half, packed.groups());
            if (!Arrays.equals(single, Arrays.copyOfRange(batched, t * rows, (t + 1) * rows))) {
                problems.add(where + ": token " + t + " differs alone and in a batch of " + TOKENS);
            }
            double errorSquares = 0;
            double normSquares = 0;
            for (int r = 0; r < rows; r++) {
                double exact = 0;
                double formula = 0;
                double magnitude = 0;
                double bound = 0; // rounding to the int8 grid moves each activation by at most half a step
                for (int c = 0; c < columns; c++) {
                    exact += (double) weights[r * columns + c] * x[t * columns + c];
                }
                for (int b = 0; b < columns / 32; b++) {
                    double dx = alone.scales[b];
                    for (int i = 0; i < 32; i++) {
                        double term = (double) weights[r * columns + b * 32 + i] * dx * alone.quants[b * 32 + i];
                        formula += term;
                        magnitude += Math.abs(term);
                        bound += Math.abs(weights[r * columns + b * 32 + i]) * dx / 2;
                    }
                }
                float actual = single[r];
                if (Math.abs(actual - formula) > FORMULA_TOLERANCE * (magnitude + 1e-3)) {
                    problems.add("%s: row %d token %d: kernel %g, integer formula %g".formatted(where, r, t,
                            actual, formula));
                }
                if (Math.abs(actual - exact) > bound + FORMULA_TOLERANCE * (magnitude + 1e-3)) {
                    problems.add("%s: row %d token %d: kernel %g, float product %g, beyond the rounding bound %g"
                            .formatted(where, r, t, actual, exact, bound));
                }
                errorSquares += (actual - exact) * (actual - exact);
                normSquares += exact * exact;
            }
            double relative = Math.sqrt(errorSquares / normSquares);
            if (rows >= 37 && relative > NORM_TOLERANCE) {
                problems.add("%s: token %d: error relative to the float product's norm %.4f".formatted(where, t,
                        relative));
            }
        }
        return problems;
    }
}
