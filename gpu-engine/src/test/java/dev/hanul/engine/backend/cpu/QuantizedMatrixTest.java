package dev.hanul.engine.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CPU kernels of every supported format against gguf-py's dequantization of the same bytes
 * (src/test/resources/reference/make_quant_fixture.py).
 */
class QuantizedMatrixTest {

    private static GgufFile fixture;

    @BeforeAll
    static void open() throws URISyntaxException {
        fixture = GgufFile.open(Path.of(QuantizedMatrixTest.class.getResource("/reference/quant_fixture.gguf").toURI()));
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizesLikeGgufPy(GgmlType type) {
        CpuMatrix matrix = CpuMatrix.of(fixture.tensor(type.name()));
        float[] expected = expected(type);
        float[] actual = new float[expected.length];
        for (int r = 0; r < matrix.rows(); r++) {
            matrix.dequantizeRow(r, actual, r * matrix.columns());
        }
        assertThat(actual).containsExactly(expected, within(1e-6f));
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q4_K", "Q5_K", "Q6_K"})
    void fusedDotAndBatchedProductsMatchTheDequantizedRows(GgmlType type) {
        CpuMatrix matrix = CpuMatrix.of(fixture.tensor(type.name()));
        float[] weights = expected(type);
        int tokens = 5;
        float[] x = new float[tokens * matrix.columns()];
        Random random = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] batched = new float[tokens * matrix.rows()];
        matrix.multiply(x, batched, tokens, 0, matrix.rows());
        float[] single = new float[matrix.rows()];
        for (int t = 0; t < tokens; t++) {
            matrix.multiply(Arrays.copyOfRange(x, t * matrix.columns(), (t + 1) * matrix.columns()),
                    single, 1, 0, matrix.rows());
            for (int r = 0; r < matrix.rows(); r++) {
                double reference = 0;
                for (int c = 0; c < matrix.columns(); c++) {
                    reference += (double) weights[r * matrix.columns() + c] * x[t * matrix.columns() + c];
                }
                float tolerance = (float) (1e-4 * (1 + Math.abs(reference)));
                assertThat(single[r]).as("fused dot, row %d token %d", r, t).isCloseTo((float) reference,
                        within(tolerance));
                assertThat(batched[t * matrix.rows() + r]).as("batched, row %d token %d", r, t)
                        .isCloseTo((float) reference, within(tolerance));
            }
        }
    }

    /**
     * Batch invariance: a token's products are the same bits whether it is multiplied alone (the fused dot) or with
     * any number of other tokens (the register tiles), so a sequence decodes the same tokens in any batch.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q4_K", "Q5_K", "Q6_K"})
    void aTokensProductsDoNotDependOnTheBatch(GgmlType type) {
        CpuMatrix matrix = CpuMatrix.of(fixture.tensor(type.name()));
        int columns = matrix.columns();
        Random random = new Random(11);
        float[] x = new float[9 * columns];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] alone = new float[matrix.rows()];
        for (int tokens = 2; tokens <= 9; tokens++) {
            float[] batched = new float[tokens * matrix.rows()];
            matrix.multiply(x, batched, tokens, 0, matrix.rows());
            for (int t = 0; t < tokens; t++) {
                matrix.multiply(Arrays.copyOfRange(x, t * columns, (t + 1) * columns), alone, 1, 0, matrix.rows());
                assertThat(Arrays.copyOfRange(batched, t * matrix.rows(), (t + 1) * matrix.rows()))
                        .as("token %d of %d", t, tokens).containsExactly(alone);
            }
        }
    }

    private static float[] expected(GgmlType type) {
        GgufTensor tensor = fixture.tensor(type.name() + ".expected");
        return tensor.data().toArray(CpuMatrix.FLOAT);
    }
}
