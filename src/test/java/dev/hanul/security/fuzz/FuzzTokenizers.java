package dev.hanul.security.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Optional;

/** The test models' tokenizers for the fuzz tests (one fuzz test per class: Jazzer fuzzes one per JVM). */
final class FuzzTokenizers {

    private FuzzTokenizers() {
    }

    /** The model's tokenizer, or null when the file is absent (the test then skips). */
    static Tokenizer load(String model) {
        Optional<Path> file = TestModels.find(model);
        if (file.isEmpty()) {
            return null;
        }
        try (GgufFile gguf = GgufFile.open(file.get())) {
            return Tokenizer.fromGguf(gguf);
        }
    }

    static void assertInVocabulary(Tokenizer tokenizer, int[] ids) {
        for (int id : ids) {
            assertThat(id).isBetween(0, tokenizer.vocabularySize() - 1);
        }
    }
}
