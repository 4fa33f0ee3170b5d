package dev.hanul.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Special tokens, BOS/EOS, stop tokens, decoding and streaming, on real vocabularies and small synthetic ones. */
class TokenizerTest {

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    @Test
    void rejectsAnUnsupportedTokenizerModelNamingFileAndModel() {
        Path file = byteLevel("bert-like.gguf", "bert", "gpt-2", List.of());
        assertThatThrownBy(() -> load(file)).isInstanceOf(GgufException.class)
                .hasMessageContaining("bert-like.gguf").hasMessageContaining("'bert'")
                .hasMessageContaining("'llama'").hasMessageContaining("'gpt2'");
    }

    @Test
    void rejectsAnUnknownPreTokenizer() {
        Path file = byteLevel("odd-pre.gguf", "gpt2", "no-such-pre", List.of());
        assertThatThrownBy(() -> load(file)).isInstanceOf(GgufException.class)
                .hasMessageContaining("odd-pre.gguf").hasMessageContaining("'no-such-pre'")
                .hasMessageContaining("smollm").hasMessageContaining("llama-bpe");
    }

    @Test
    void rejectsAddBosWithoutABosToken() {
        Path file = new MetadataOnlyGguf().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", "gpt-2")
                .put("tokenizer.ggml.tokens", byteTokens(List.of())).put("tokenizer.ggml.merges", new String[0])
                .put("tokenizer.ggml.add_bos_token", true).write(dir.resolve("no-bos.gguf"));
        assertThatThrownBy(() -> load(file)).isInstanceOf(GgufException.class)
                .hasMessageContaining("add_bos_token is true, but tokenizer.ggml.bos_token_id is not set");
    }

    @Test
    void specialTokensAreParsedOnlyWhenAskedButUserDefinedOnesAlways() {
        Tokenizer tokenizer = load(syntheticChatVocabulary());
        int imStart = id(tokenizer, "<|im_start|>");
        int tool = id(tokenizer, "<tool>");
        int hello = id(tokenizer, "hello");

        assertThat(tokenizer.encode("<|im_start|>hello", true)).containsExactly(imStart, hello);
        assertThat(tokenizer.encode("<|im_start|>hello")).doesNotContain(imStart).endsWith(hello);
        assertThat(tokenizer.encode("hello<tool>hello")).containsExactly(hello, tool, hello);
        assertThat(tokenizer.decode(tokenizer.encode("<|im_start|>hello"))).isEqualTo("<|im_start|>hello");
    }

    @Test
    void longerSpecialTokensWinOverTheirPrefixes() {
        Tokenizer tokenizer = load(syntheticChatVocabulary());
        assertThat(tokenizer.encode("<a><b><a>", true))
                .containsExactly(id(tokenizer, "<a><b>"), id(tokenizer, "<a>"));
    }

    @Test
    void endOfGenerationTokensAreFoundByTextAndBecomeControlTokens() {
        Tokenizer tokenizer = load(syntheticChatVocabulary());
        int endOfText = id(tokenizer, "<|endoftext|>"); // stored as a normal token
        assertThat(tokenizer.stopTokens()).containsExactlyInAnyOrder(id(tokenizer, "<|im_end|>"), endOfText);
        assertThat(tokenizer.isSpecial(endOfText)).isTrue();
        assertThat(tokenizer.tokenBytes(endOfText)).isEmpty();
        assertThat(tokenizer.bos()).isEqualTo(-1);
        assertThat(tokenizer.eos()).isEqualTo(-1);
        assertThat(tokenizer.addBos()).isFalse();
    }

    /** The sets llama.cpp prints when it loads these files ("EOG token = ..."). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "SmolLM2-135M-Instruct.Q4_1.gguf; 0 2 4", "llama-2-tiny-random.gguf; 2",
            "ggml-vocab-llama-spm.gguf; 2", "ggml-vocab-phi-3.gguf; 2 32000 32007", "ggml-vocab-gpt-2.gguf; 50256",
            "ggml-vocab-starcoder.gguf; 0 4", "ggml-vocab-refact.gguf; 0 4 18", "ggml-vocab-falcon.gguf; 11",
            "ggml-vocab-deepseek-llm.gguf; 100001", "ggml-vocab-deepseek-coder.gguf; 32014"})
    void stopTokensAreLlamaCppsEndOfGenerationSet(String file, String ids) {
        Set<Integer> expected = Set.copyOf(List.of(ids.split(" ")).stream().map(Integer::valueOf).toList());
        assertThat(real(file).stopTokens()).isEqualTo(expected);
    }

    /** Expected ids from llama.cpp (llama-cpp-python 0.3.36). */
    @Test
    void phi3SpecialTokensSwallowTheWhitespaceAfterThem() {
        assertThat(real("ggml-vocab-phi-3.gguf").encode("<|user|>\nHi<|end|>\n<|assistant|>\n", true))
                .containsExactly(32010, 6324, 32007, 32001);
    }

    /** Expected ids from llama.cpp: U+3000 is whitespace there, not a member of DeepSeek's punctuation range. */
    @Test
    void deepSeekLlmTreatsNonAsciiWhitespaceAsLlamaCppDoes() {
        assertThat(real("ggml-vocab-deepseek-llm.gguf").encode("a  \u3000b")).containsExactly(64, 243, 88946, 65);
    }

    @Test
    void smolLm2SpecialTokensAndFlags() {
        Tokenizer smol = real(TestModels.SMOLLM2);
        assertThat(smol.vocabularySize()).isEqualTo(49152);
        assertThat(smol.addBos()).isFalse();
        assertThat(smol.addEos()).isFalse();
        assertThat(smol.bos()).isEqualTo(1);
        assertThat(smol.eos()).isEqualTo(2);
        assertThat(smol.token(1)).isEqualTo("<|im_start|>");
        assertThat(smol.isSpecial(1)).isTrue();
        assertThat(smol.isSpecial(216)).isFalse();
        assertThat(smol.tokenBytes(216)).containsExactly(' '); // "Ġ"
        assertThat(smol.tokenBytes(2)).isEmpty();
        int[] chat = smol.encode("<|im_start|>user\nHi<|im_end|>", true);
        assertThat(smol.decode(chat)).isEqualTo("user\nHi");
        assertThat(smol.decode(chat, true)).isEqualTo("<|im_start|>user\nHi<|im_end|>");
    }

    @Test
    void llamaSpecialTokensFlagsAndPieces() {
        Tokenizer llama = real(TestModels.TINY_RANDOM);
        assertThat(llama.vocabularySize()).isEqualTo(32000);
        assertThat(llama.addBos()).isTrue();
        assertThat(llama.addEos()).isFalse();
        assertThat(llama.bos()).isEqualTo(1);
        assertThat(llama.eos()).isEqualTo(2);
        assertThat(llama.isSpecial(1)).isTrue();
        assertThat(llama.tokenBytes(15043)).isEqualTo(" Hello".getBytes(StandardCharsets.UTF_8)); // "▁Hello"
        assertThat(llama.tokenBytes(13)).containsExactly('\n'); // "<0x0A>"
        assertThat(llama.tokenBytes(1)).isEmpty();
        assertThat(llama.encode("<s>Hi", true)).startsWith(1);
        assertThat(llama.encode("<s>Hi")).doesNotContain(1);
        assertThatThrownBy(() -> llama.tokenBytes(32000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32000");
    }

    @Test
    void generationFromBosStartsWithoutTheAddedSpace() {
        Tokenizer llama = real(TestModels.TINY_RANDOM);
        int[] story = llama.encode("Once upon a time");
        assertThat(llama.token(story[0])).isEqualTo("▁Once");
        StreamingDetokenizer detokenizer = llama.newDetokenizer();
        StringBuilder text = new StringBuilder(detokenizer.push(llama.bos()));
        for (int id : story) {
            text.append(detokenizer.push(id));
        }
        assertThat(text.append(detokenizer.flush())).hasToString("Once upon a time");
    }

    /** llama2.c's published greedy output for stories260K starts with these ids (shared/models/README.md). */
    @Test
    void stories260KTokensAreLlama2cs() {
        Tokenizer stories = real(TestModels.STORIES);
        assertThat(stories.encode("Once upon a time")).containsExactly(403, 407, 261, 378);
        StreamingDetokenizer detokenizer = stories.newDetokenizer();
        StringBuilder text = new StringBuilder(detokenizer.push(stories.bos()));
        for (int id : new int[] {403, 407, 261, 378, 432}) {
            text.append(detokenizer.push(id));
        }
        assertThat(text).hasToString("Once upon a time,");
    }

    @Test
    void anEmojiSplitOverByteFallbackTokensComesOutWhole() {
        Tokenizer llama = real(TestModels.TINY_RANDOM);
        int[] ids = llama.encode("Go🚀!");
        List<String> pushed = new ArrayList<>();
        StreamingDetokenizer detokenizer = llama.newDetokenizer();
        for (int id : ids) {
            pushed.add(detokenizer.push(id));
        }
        assertThat(IntStream.of(ids).mapToObj(llama::token))
                .containsSubsequence("<0xF0>", "<0x9F>", "<0x9A>", "<0x80>");
        assertThat(pushed).contains("🚀").allSatisfy(piece -> assertThat(piece).doesNotContain("\uFFFD"));
        assertThat(String.join("", pushed) + detokenizer.flush()).isEqualTo("Go🚀!");
    }

    @Test
    void byteLevelTokensThatSplitKoreanCharactersAreHeldBack() {
        Tokenizer smol = real(TestModels.SMOLLM2);
        String text = "안녕하세요, 세계! 한국어 문장입니다. 👨‍👩‍👧";
        StreamingDetokenizer detokenizer = smol.newDetokenizer();
        List<String> pushed = new ArrayList<>();
        for (int id : smol.encode(text)) {
            pushed.add(detokenizer.push(id));
        }
        assertThat(pushed).contains("").allSatisfy(piece -> assertThat(piece).doesNotContain("\uFFFD"));
        assertThat(String.join("", pushed) + detokenizer.flush()).isEqualTo(text);
    }

    @Test
    void flushShowsAnUnfinishedCharacterAsAReplacementCharacter() {
        Tokenizer llama = real(TestModels.TINY_RANDOM);
        StreamingDetokenizer detokenizer = llama.newDetokenizer();
        assertThat(detokenizer.push(id(llama, "<0xF0>"))).isEmpty();
        assertThat(detokenizer.push(id(llama, "<0x9F>"))).isEmpty();
        assertThat(detokenizer.flush()).isNotEmpty().matches("\uFFFD+");
        assertThat(detokenizer.push(id(llama, "▁ok"))).isEqualTo(" ok");
    }

    @Test
    void longInputsWithLongWhitespaceRunsRoundTrip() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("word").append(i).append(i % 7 == 0 ? "\n\n    " : " ").append("안녕 🚀\t");
        }
        text.append(" ".repeat(5000)).append("end");
        for (String model : List.of(TestModels.SMOLLM2, TestModels.TINY_RANDOM)) {
            Tokenizer tokenizer = real(model);
            assertThat(tokenizer.decode(tokenizer.encode(text.toString()))).isEqualTo(text.toString());
        }
    }

    private static int id(Tokenizer tokenizer, String token) {
        return IntStream.range(0, tokenizer.vocabularySize()).filter(i -> tokenizer.token(i).equals(token))
                .findFirst().orElseThrow();
    }

    private static Tokenizer real(String file) {
        Path path = TestModels.require(file);
        return TOKENIZERS.computeIfAbsent(file, f -> load(path));
    }

    private static Tokenizer load(Path path) {
        try (GgufFile gguf = GgufFile.open(path)) {
            return Tokenizer.fromGguf(gguf);
        }
    }

    /** Byte tokens, "he", "ll", "hell", "hello", chat control tokens, a user-defined token and a normal EOG token. */
    private Path syntheticChatVocabulary() {
        List<String> extra = List.of("he", "ll", "hell", "hello", "<|im_start|>", "<|im_end|>", "<tool>", "<a>",
                "<a><b>", "<|endoftext|>");
        int[] types = new int[256 + extra.size()];
        java.util.Arrays.fill(types, 1);
        for (String control : List.of("<|im_start|>", "<|im_end|>", "<a>", "<a><b>")) {
            types[256 + extra.indexOf(control)] = 3;
        }
        types[256 + extra.indexOf("<tool>")] = 4;
        return new MetadataOnlyGguf().put("tokenizer.ggml.model", "gpt2").put("tokenizer.ggml.pre", "gpt-2")
                .put("tokenizer.ggml.tokens", byteTokens(extra)).put("tokenizer.ggml.token_type", types)
                .put("tokenizer.ggml.merges", new String[] {"h e", "l l", "he ll", "hell o"})
                .write(dir.resolve("chat.gguf"));
    }

    private Path byteLevel(String name, String model, String pre, List<String> extra) {
        return new MetadataOnlyGguf().put("tokenizer.ggml.model", model).put("tokenizer.ggml.pre", pre)
                .put("tokenizer.ggml.tokens", byteTokens(extra)).put("tokenizer.ggml.merges", new String[0])
                .write(dir.resolve(name));
    }

    private static String[] byteTokens(List<String> extra) {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteUnicodeMap.charOf(b)));
        }
        tokens.addAll(extra);
        return tokens.toArray(String[]::new);
    }
}
