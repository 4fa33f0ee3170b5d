package dev.hanul.security.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * SentencePiece BPE (Llama 2's tokenizer, here stories260K's) on arbitrary text: encoding, with or without special
 * tokens and the prompt's BOS, never fails and gives ids inside the vocabulary, and decoding them never fails. Skips
 * when the test model is absent.
 */
// Jazzer reports an assumption that fails inside a fuzz test as a finding, so a missing model disables the class.
@EnabledIf(value = "tokenizerPresent", disabledReason = "the test model is absent (see README, \"Test models\")")
class SentencePieceFuzzTest {

    private static final Tokenizer TOKENIZER = FuzzTokenizers.load(TestModels.STORIES);

    static boolean tokenizerPresent() {
        return TOKENIZER != null;
    }

    @FuzzTest(maxDuration = "5s")
    void encodesAnything(@NotNull String text) {
        Assumptions.assumeTrue(TOKENIZER != null, () -> TestModels.notFound(TestModels.STORIES));
        int[] ids = TOKENIZER.encode(text, false);
        FuzzTokenizers.assertInVocabulary(TOKENIZER, ids);
        TOKENIZER.decode(ids);
        FuzzTokenizers.assertInVocabulary(TOKENIZER, TOKENIZER.encodePrompt(text));
    }
}
