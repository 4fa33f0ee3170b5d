package dev.hanul.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each architecture against Hugging Face transformers: a tiny random-initialised model of it (the real layer types,
 * its distinguishing features switched on), converted to GGUF by llama.cpp's converter, and the logits transformers
 * computes at every position of one prompt (src/test/resources/architectures/make_arch_fixtures.py). Checked twice:
 * the whole prompt in one forward pass (causal and sliding-window masks inside a batch), and a prefill of the first
 * tokens followed by one token per pass (the same masks over the KV cache).
 */
class ArchitectureReferenceTest {

    /** Largest difference allowed from transformers' logits (float32 both, identical weights; measured: at most 2e-5). */
    static final float LOGIT_TOLERANCE = 1e-4f;
    static final int PREFILL = 7;

    private static CpuBackend cpu;
    private static int[] prompt;
    private static int vocabulary;

    @BeforeAll
    static void load() throws IOException {
        cpu = new CpuBackend(2);
        try (InputStream in = resource("prompt.json")) {
            JsonNode json = JsonMapper.builder().build().readTree(in);
            prompt = json.get("prompt").valueStream().mapToInt(JsonNode::asInt).toArray();
            vocabulary = json.get("vocab").asInt();
        }
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "qwen3", "gemma2", "gemma3", "phi3", "smollm3", "llama3", "exaone4"})
    void logitsAtEveryPositionAgreeWithTransformers(String name) throws Exception {
        float[] expected = expectedLogits(name);
        try (GgufFile gguf = GgufFile.open(path(name + ".gguf"))) {
            LlamaModel model = LlamaModel.load(gguf, cpu);
            assertThat(model.config().vocabularySize()).isEqualTo(vocabulary);

            int[] everyPosition = new int[prompt.length];
            Arrays.setAll(everyPosition, i -> i);
            float[] whole = model.forward(model.newState(prompt.length, prompt.length), prompt,
                    contiguous(everyPosition), newKv(model), everyPosition);
            assertThat(maxDifference(whole, expected, 0, prompt.length)).as("%s, whole prompt", name)
                    .isLessThan(LOGIT_TOLERANCE);

            float[] stepwise = new float[prompt.length * vocabulary];
            KvStore kv = newKv(model);
            ForwardState state = model.newState(prompt.length, 1);
            int[] first = Arrays.copyOf(everyPosition, PREFILL);
            System.arraycopy(model.forward(state, Arrays.copyOf(prompt, PREFILL), contiguous(first), kv,
                    new int[] {PREFILL - 1}), 0, stepwise, (PREFILL - 1) * vocabulary, vocabulary);
            for (int p = PREFILL; p < prompt.length; p++) {
                float[] row = model.forward(state, new int[] {prompt[p]}, contiguous(new int[] {p}), kv,
                        new int[] {0});
                System.arraycopy(row, 0, stepwise, p * vocabulary, vocabulary);
            }
            assertThat(maxDifference(stepwise, expected, PREFILL - 1, prompt.length)).as("%s, one token a pass", name)
                    .isLessThan(LOGIT_TOLERANCE);
        }
    }

    private static AttentionBatch contiguous(int[] positions) {
        return AttentionBatch.ofContiguousSequence(positions, AttentionBatch.identityTable(64, 16), 16);
    }

    private static KvStore newKv(LlamaModel model) {
        return cpu.allocateKv(model.config().blockCount(), 64, model.config().kvDim());
    }

    private static float maxDifference(float[] actual, float[] expected, int fromRow, int toRow) {
        float max = 0;
        for (int i = fromRow * vocabulary; i < toRow * vocabulary; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }

    private static float[] expectedLogits(String name) throws IOException {
        float[] expected = new float[prompt.length * vocabulary];
        try (InputStream in = resource(name + ".logits.f32")) {
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
        }
        return expected;
    }

    private static InputStream resource(String name) {
        return ArchitectureReferenceTest.class.getResourceAsStream("/architectures/" + name);
    }

    private static Path path(String name) throws URISyntaxException {
        return Path.of(ArchitectureReferenceTest.class.getResource("/architectures/" + name).toURI());
    }
}
