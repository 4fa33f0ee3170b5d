package dev.hanul.engine.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.gguf.GgmlType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The int8 kernels against the float reference on random blocks ({@link Int8KernelCheck}): exact integer products
 * (the kernel equals the same formula in double within float rounding), error against float activations within
 * {@link Int8KernelCheck#NORM_TOLERANCE} of the output's norm, and a token's bits the same alone or in a batch; rows
 * that fill a row group and rows that do not.
 */
class Int8KernelsTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q4_K", "Q5_K", "Q6_K"})
    void matchTheFloatReferenceWithThisCpusVectors(GgmlType type) {
        assertThat(Int8KernelCheck.check(type)).isEmpty();
    }

    /** The 256-bit (AVX2) code path, forced by {@code hanul.cpu.vectorBits} in a child JVM. */
    @Test
    void matchTheFloatReferenceWith256BitVectors() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Dhanul.cpu.vectorBits=256", "-cp", System.getProperty("java.class.path"),
                Int8KernelCheck.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(output).isZero();
        assertThat(output).contains("int8 kernels, 256-bit vectors: 0 problems");
    }

    @Test
    void quantizeBlocksLikeGgml() {
        float[] x = new float[64];
        for (int i = 0; i < 32; i++) {
            x[i] = (i - 10) * 0.25f; // max |x| = 5.25 at i = 31
        }
        Q8Activations q = new Q8Activations();
        q.reset(1, 64);
        q.quantize(x, 0, 1);
        float d = 5.25f / 127;
        assertThat(q.scales[0]).isEqualTo(d);
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            assertThat(q.quants[i]).as("element %d", i).isEqualTo((short) Math.round(x[i] * (1 / d) + 0.0));
            sum += q.quants[i];
        }
        assertThat(q.quants[31]).isEqualTo((short) 127);
        assertThat(q.sums[0]).isEqualTo(d * sum);
        // An all-zero block: scale 0, quants 0 (no division by zero).
        assertThat(q.scales[1]).isZero();
        assertThat(List.of(q.quants[32], q.quants[63])).containsOnly((short) 0);
    }
}
