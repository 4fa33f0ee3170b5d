package dev.hanul.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gemma 3 270M (the base model, Q4_K_M: sliding-window and global layers, Q/K norms, scaled embeddings, the 262k
 * SentencePiece vocabulary, K-quants) against Hugging Face transformers run on the same file
 * (src/test/resources/reference/make_gemma3_reference.py): the prompt's tokens, the top logits after it and 32 greedy
 * tokens per prompt.
 */
class Gemma3ReferenceTest {

    public static final String GEMMA3 = "gemma-3-270m-q4_k_m.gguf";

    /** Largest difference allowed between our logits and transformers' (float32 both; measured: at most 8e-6). */
    static final float LOGIT_TOLERANCE = 1e-3f;

    private static GgufFile gguf;
    private static CpuBackend cpu;
    private static LlamaModel model;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        gguf = GgufFile.open(TestModels.require(GEMMA3));
        cpu = new CpuBackend(2);
        model = LlamaModel.load(gguf, cpu);
        try (InputStream in = Gemma3ReferenceTest.class.getResourceAsStream("/reference/gemma3_reference.json")) {
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
    void promptsTokenizeAsTransformers() {
        Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
        for (JsonNode c : reference.get("cases")) {
            assertThat(tokenizer.encodePrompt(c.get("prompt").asString())).as(c.get("prompt").asString())
                    .containsExactly(ids(c.get("prompt_ids")));
        }
    }

    @Test
    void topLogitsAfterEachPromptAgreeWithTransformers() {
        for (JsonNode c : reference.get("cases")) {
            float[] logits = new Decoder(ids(c.get("prompt_ids"))).logits;
            for (JsonNode top : c.get("top5")) {
                assertThat(logits[top.get(0).asInt()]).as("%s: logit of token %d", c.get("prompt").asString(),
                        top.get(0).asInt()).isCloseTo(top.get(1).floatValue(), within(LOGIT_TOLERANCE));
            }
        }
    }

    @Test
    void greedyTokensMatchTransformersFor32Steps() {
        Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
        for (JsonNode c : reference.get("cases")) {
            int[] expected = ids(c.get("greedy_ids"));
            Decoder decoder = new Decoder(ids(c.get("prompt_ids")));
            int[] actual = new int[expected.length];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = decoder.next();
            }
            assertThat(actual).as(c.get("greedy_text").asString()).containsExactly(expected);
            assertThat(tokenizer.decode(actual)).isEqualTo(c.get("greedy_text").asString());
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
