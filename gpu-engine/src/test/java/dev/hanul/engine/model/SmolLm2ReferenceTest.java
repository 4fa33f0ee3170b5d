package dev.hanul.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.sampling.Sampler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SmolLM2-135M-Instruct (Q4_1) against Hugging Face transformers run on the same file
 * (src/test/resources/reference/make_smollm2_reference.py): the logits after the prompt and 48 greedy tokens.
 */
class SmolLm2ReferenceTest {

    /** Largest difference allowed between our logits and transformers' (float32 both; measured: about 2e-5). */
    static final float LOGIT_TOLERANCE = 1e-3f;

    private static GgufFile gguf;
    private static CpuBackend cpu;
    private static LlamaModel model;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        gguf = GgufFile.open(TestModels.require(TestModels.SMOLLM2));
        cpu = new CpuBackend(2);
        model = LlamaModel.load(gguf, cpu);
        try (InputStream in = SmolLm2ReferenceTest.class.getResourceAsStream("/reference/smollm2_reference.json")) {
            reference = JsonMapper.builder().build().readTree(in);
        }
    }

    @AfterAll
    static void close() {
        if (gguf != null) {
            cpu.close();
            gguf.close();
        }
    }

    @Test
    void firstStepLogitsAgreeWithTransformers() throws IOException {
        float[] expected = new float[model.config().vocabularySize()];
        try (InputStream in = getClass().getResourceAsStream("/reference/smollm2_first_logits.f32")) {
            ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
        }
        float[] actual = new Decoder(ids(reference.get("cases").get(0).get("prompt_ids"))).logits;
        float maxDifference = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDifference = Math.max(maxDifference, Math.abs(expected[i] - actual[i]));
        }
        assertThat(maxDifference).isLessThan(LOGIT_TOLERANCE);
    }

    @Test
    void greedyTokensMatchTransformersFor48Steps() {
        for (JsonNode c : reference.get("cases")) {
            int[] expected = ids(c.get("greedy_ids"));
            Decoder decoder = new Decoder(ids(c.get("prompt_ids")));
            int[] actual = new int[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = decoder.next();
            }
            assertThat(actual).as(c.get("greedy_text").asString()).containsExactly(expected);
        }
    }

    private static int[] ids(JsonNode array) {
        return array.valueStream().mapToInt(JsonNode::asInt).toArray();
    }

    /** Greedy decoding of one sequence (EOS ignored, as in the reference). */
    private static final class Decoder {
        private final int[] table = AttentionBatch.identityTable(256, 16);
        private final KvStore kv = cpu.allocateKv(model.config().blockCount(), 256, model.config().kvDim());
        private final ForwardState state;
        private float[] logits;
        private int position;

        Decoder(int[] prompt) {
            state = model.newState(prompt.length, 1);
            int[] positions = new int[prompt.length];
            Arrays.setAll(positions, i -> i);
            logits = model.forward(state, prompt, AttentionBatch.ofContiguousSequence(positions, table, 16), kv,
                    new int[] {prompt.length - 1});
            position = prompt.length;
        }

        int next() {
            int token = Sampler.argmax(logits, 0, logits.length);
            logits = model.forward(state, new int[] {token},
                    AttentionBatch.ofContiguousSequence(new int[] {position++}, table, 16), kv, new int[] {0});
            return token;
        }
    }
}
