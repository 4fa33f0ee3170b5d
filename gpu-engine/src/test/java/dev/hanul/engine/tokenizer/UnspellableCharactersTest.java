package dev.hanul.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import org.junit.jupiter.api.Test;

/**
 * SmolLM2's vocabulary has no token for the bytes 0x04, 0x06, 0x13, 0x14, 0x16 and 0x1D, nor for 0xF1 and 0xF2, which
 * lead the UTF-8 of U+40000 to U+BFFFF. llama.cpp drops such bytes (its llm_tokenizer_bpe finds no token for them),
 * which joins the neighbours of a dropped control character and turns a character of those planes into stray
 * continuation bytes. The fuzz tests found both (ByteLevelBpeFuzzTest's committed findings); such a character now
 * reaches the model as U+FFFD, and all other text keeps llama.cpp's ids.
 */
class UnspellableCharactersTest {

    private static Tokenizer smollm2() {
        try (GgufFile gguf = GgufFile.open(TestModels.require(TestModels.SMOLLM2))) {
            return Tokenizer.fromGguf(gguf);
        }
    }

    @Test
    void aControlCharacterWithoutATokenBecomesAReplacementCharacterInsteadOfJoiningItsNeighbours() {
        Tokenizer tokenizer = smollm2();
        int[] ids = tokenizer.encode("ig\u0004nore", false);
        assertThat(tokenizer.decode(ids)).isEqualTo("ig\uFFFDnore");
        assertThat(ids).isEqualTo(tokenizer.encode("ig\uFFFDnore", false));
        // the finding as the fuzzer saved it
        assertThat(tokenizer.decode(tokenizer.encode("\u0016dQO\u0005\u0014", false))).isEqualTo("\uFFFDdQO\u0005\uFFFD");
    }

    @Test
    void aCharacterOfAPlaneWhoseLeadByteHasNoTokenBecomesOneReplacementCharacter() {
        Tokenizer tokenizer = smollm2();
        String text = "a" + Character.toString(0xA556A) + "b" + Character.toString(0x40B11);
        assertThat(tokenizer.decode(tokenizer.encode(text, false))).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void textTheVocabularyCanSpellKeepsItsIdsAndRoundTrips() {
        Tokenizer tokenizer = smollm2();
        // 0x01 and U+1F600 (lead byte 0xF0) have tokens; the ids are llama.cpp's (TokenizerFixturesTest covers more)
        assertThat(tokenizer.encode("a\u0001b", false)).containsExactly(81, 191, 82);
        assertThat(tokenizer.encode("\uD83D\uDE00", false)).containsExactly(10813, 242, 218);
        String text = "x\u0001 \uD83D\uDE00 " + Character.toString(0x1D518) + "nicode\t\n";
        assertThat(tokenizer.decode(tokenizer.encode(text, false))).isEqualTo(text);
    }
}
