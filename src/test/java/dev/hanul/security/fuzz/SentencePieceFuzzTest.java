package dev.hanul.security.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Assumptions;

/**
 * SentencePiece BPE (Llama 2's tokenizer, here stories260K's) on arbitrary text: encoding, with or without special
 * tokens and the prompt's BOS, never fails and gives ids inside the vocabulary, and decoding them never fails. Skips
 * when the test model is absent.
 */
class SentencePieceFuzzTest {

    private static final Tokenizer TOKENIZER = FuzzTokenizers.load(TestModels.STORIES);

    @FuzzTest(maxDuration = "5s")
    void encodesAnything(@NotNull String text) {
        Assumptions.assumeTrue(TOKENIZER != null, () -> TestModels.notFound(TestModels.STORIES));
        int[] ids = TOKENIZER.encode(text, false);
        FuzzTokenizers.assertInVocabulary(TOKENIZER, ids);
        TOKENIZER.decode(ids);
        FuzzTokenizers.assertInVocabulary(TOKENIZER, TOKENIZER.encodePrompt(text));
    }
}
