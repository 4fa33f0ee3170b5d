package dev.hanul.security.fuzz;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which bytes a byte-level BPE vocabulary can spell, read from the GGUF file's token list with GPT-2's
 * bytes_to_unicode written out here again: the oracle for what the tokenizer must give back, independent of it.
 */
final class ByteTokens {

    private final boolean[] spellable;

    private ByteTokens(boolean[] spellable) {
        this.spellable = spellable;
    }

    /** The model's byte tokens, or null when the file is absent. */
    static ByteTokens load(String model) {
        Optional<Path> file = TestModels.find(model);
        if (file.isEmpty()) {
            return null;
        }
        try (GgufFile gguf = GgufFile.open(file.get())) {
            Set<String> tokens = new HashSet<>(Arrays.asList(gguf.getStringArray("tokenizer.ggml.tokens")));
            boolean[] spellable = new boolean[256];
            int next = 256;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                spellable[b] = tokens.contains(String.valueOf((char) (printable ? b : next++)));
            }
            return new ByteTokens(spellable);
        }
    }

    /** The text with every character that has a byte without a token replaced by U+FFFD. */
    String replaceUnspellable(String text) {
        var expected = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String character = Character.toString(c);
            boolean ok = true;
            for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                ok &= spellable[b & 0xFF];
            }
            expected.append(ok ? character : "\uFFFD");
        });
        return expected.toString();
    }
}
