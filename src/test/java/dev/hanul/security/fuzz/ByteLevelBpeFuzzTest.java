package dev.hanul.security.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Byte-level BPE (SmolLM2's tokenizer) on arbitrary text, which is what users send: encoding never fails, gives ids
 * inside the vocabulary, and decodes back to exactly the text, whatever Unicode it holds; text that spells a special
 * token is plain text unless special tokens are asked for. Skips when the test model is absent.
 */
// Jazzer reports an assumption that fails inside a fuzz test as a finding, so a missing model disables the class.
@EnabledIf(value = "tokenizerPresent", disabledReason = "the test model is absent (see README, \"Test models\")")
class ByteLevelBpeFuzzTest {

    private static final Tokenizer TOKENIZER = FuzzTokenizers.load(TestModels.SMOLLM2);
    private static final ByteTokens SPELLABLE = ByteTokens.load(TestModels.SMOLLM2);

    static boolean tokenizerPresent() {
        return TOKENIZER != null;
    }

    @FuzzTest(maxDuration = "5s")
    void roundTrips(@NotNull String text) {
        Assumptions.assumeTrue(TOKENIZER != null, () -> TestModels.notFound(TestModels.SMOLLM2));
        int[] ids = TOKENIZER.encode(text, false);
        FuzzTokenizers.assertInVocabulary(TOKENIZER, ids);
        // Findings finding-c0-control-characters-dropped and finding-supplementary-plane-lead-byte: a character with a
        // byte the vocabulary has no token for comes back as U+FFFD (llama.cpp dropped the byte); all else unchanged.
        if (wellFormed(text)) {
            assertThat(TOKENIZER.decode(ids)).isEqualTo(SPELLABLE.replaceUnspellable(text));
        }
        FuzzTokenizers.assertInVocabulary(TOKENIZER, TOKENIZER.encode(text, true));
    }

    /** Text without unpaired surrogates: the only text that UTF-8, and so any tokenizer, can carry unchanged. */
    private static boolean wellFormed(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
    }
}
