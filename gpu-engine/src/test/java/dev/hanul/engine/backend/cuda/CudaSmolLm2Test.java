package dev.hanul.engine.backend.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SmolLM2's shape on the CUDA backend against the CPU backend: a synthesized model with SmolLM2-135M's widths (576,
 * 9 query heads of 64 over 3 KV heads, ffn 1536) cut to 2 layers and a 4,096-token vocabulary, so the emulator runs it
 * in seconds; and the real SmolLM2-135M-Instruct Q4_1 file over a short prompt.
 * <p>
 * Tolerance: the last position's logits differ by at most 1e-3 times the largest logit's magnitude, and the argmax
 * is the same. The two backends add the same products in different orders (and a GPU fuses multiply-adds), which
 * moves float32 logits by about 1e-5 relative per layer.
 */
class CudaSmolLm2Test {

    static final float RELATIVE_TOLERANCE = 1e-3f;
    static final ModelShape SMOLLM2_CUT = new ModelShape(576, 2, 1536, 9, 3, 4096, 2048, 100000f, true);
    private static final int[] PROMPT = {1, 9690, 198, 2683, 359, 253, 5356, 5646, 11, 2};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_1", "Q8_0"})
    void synthesizedSmolLm2ShapeMatchesTheCpu(GgmlType type) {
        Path file = dir.resolve("smollm2-cut-" + type + ".gguf");
        SyntheticModel.write(SMOLLM2_CUT, type, 11, null, file);
        int[] prompt = new int[PROMPT.length];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = PROMPT[i] % SMOLLM2_CUT.vocabulary();
        }
        compare(file, prompt);
    }

    @Test
    void realSmolLm2LogitsMatchTheCpu() {
        compare(TestModels.require(TestModels.SMOLLM2), PROMPT);
    }

    private static void compare(Path file, int[] prompt) {
        try (GgufFile gguf = GgufFile.open(file); CudaBackend cuda = CudaEmulator.backend();
             CpuBackend cpu = new CpuBackend(2)) {
            float[] expected = CudaStoriesTest.lastLogits(LlamaModel.load(gguf, cpu), prompt);
            float[] actual = CudaStoriesTest.lastLogits(LlamaModel.load(gguf, cuda), prompt);
            float largest = 0;
            for (float logit : expected) {
                largest = Math.max(largest, Math.abs(logit));
            }
            assertThat(CudaStoriesTest.maxAbsDifference(expected, actual)).isLessThanOrEqualTo(
                    RELATIVE_TOLERANCE * largest);
            assertThat(Sampler.argmax(actual, 0, actual.length)).isEqualTo(Sampler.argmax(expected, 0, expected.length));
        }
    }
}
