package dev.hanul.engine.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * F32 matrices with short rows (LoRA's B, rows of the adapter's rank) are multiplied column by column: the products
 * equal the plain sums, and a token's row is the same bit for bit alone or in a batch, over any row range.
 */
class NarrowMatrixTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 16, 63, 64})
    void productsMatchPlainSumsAndDoNotDependOnTheBatch(int columns) {
        int rows = 77;
        Random random = new Random(columns);
        float[] w = new float[rows * columns];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        MemorySegment data = Arena.ofAuto().allocate((long) w.length * 4, 64);
        MemorySegment.copy(w, 0, data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                w.length);
        CpuMatrix matrix = CpuMatrix.of(new GgufTensor("b", GgmlType.F32, new long[] {columns, rows}, data));
        int tokens = 5;
        float[] x = new float[tokens * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] batched = new float[tokens * rows];
        matrix.multiply(x, batched, tokens, 0, 40);
        matrix.multiply(x, batched, tokens, 40, rows);
        for (int t = 0; t < tokens; t++) {
            float[] alone = new float[rows];
            matrix.multiply(Arrays.copyOfRange(x, t * columns, (t + 1) * columns), alone, 1, 0, rows);
            assertThat(Arrays.copyOfRange(batched, t * rows, (t + 1) * rows)).containsExactly(alone);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < columns; c++) {
                    sum += (double) w[r * columns + c] * x[t * columns + c];
                }
                assertThat(alone[r]).isCloseTo((float) sum, within(1e-4f));
            }
        }
    }
}
