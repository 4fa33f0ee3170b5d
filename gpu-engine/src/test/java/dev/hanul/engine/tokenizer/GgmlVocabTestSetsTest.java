package dev.hanul.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's tokenizer test vectors (ggml-vocab-NAME.gguf with .inp strings and .out expected ids, produced by the
 * upstream reference tokenizers): every string must encode to exactly the expected ids, and decode back to itself.
 */
class GgmlVocabTestSetsTest {

    private static final List<String> SETS = List.of("llama-spm", "phi-3", "gpt-2", "starcoder", "refact", "falcon",
            "deepseek-llm", "deepseek-coder");
    private static final String SEPARATOR = "__ggml_vocab_test__";

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();
    // set -> {encode passes, round-trip passes, cases}
    private static final Map<String, int[]> PASSED = new TreeMap<>();

    static Stream<Arguments> cases() {
        return SETS.stream().flatMap(set -> {
            String file = "ggml-vocab-" + set + ".gguf";
            Optional<Path> vocab = TestModels.find(file);
            if (vocab.isEmpty()) {
                return Stream.of(Arguments.of(set, -1, null, null)); // the test skips, naming the missing file
            }
            List<String> texts = inputs(vocab.get().resolveSibling(file + ".inp"));
            List<int[]> expected = outputs(vocab.get().resolveSibling(file + ".out"));
            assertEquals(texts.size(), expected.size(), file + ": .inp and .out disagree on the number of cases");
            List<Arguments> cases = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                cases.add(Arguments.of(set, i, texts.get(i), expected.get(i)));
            }
            return cases.stream();
        });
    }

    @ParameterizedTest(name = "{0} #{1}")
    @MethodSource("cases")
    void encodesLikeTheReference(String set, int index, String text, int[] expected) {
        Tokenizer tokenizer = tokenizer(set);
        int[] ids = tokenizer.encode(text);
        boolean encodes = Arrays.equals(expected, ids);
        boolean roundTrips = text.equals(tokenizer.decode(ids));
        record(set, encodes, roundTrips);
        assertArrayEquals(expected, ids, () -> "%s #%d encode(%s)".formatted(set, index, quoted(text)));
        assertEquals(text, tokenizer.decode(ids),
                () -> "%s #%d decode(encode(%s))".formatted(set, index, quoted(text)));
    }

    @AfterAll
    static void summary() {
        synchronized (PASSED) {
            PASSED.forEach((set, counts) -> System.out.printf("ggml-vocab-%s: encode %d/%d, round trip %d/%d%n",
                    set, counts[0], counts[2], counts[1], counts[2]));
        }
    }

    private static void record(String set, boolean encodes, boolean roundTrips) {
        synchronized (PASSED) {
            int[] counts = PASSED.computeIfAbsent(set, s -> new int[3]);
            counts[0] += encodes ? 1 : 0;
            counts[1] += roundTrips ? 1 : 0;
            counts[2]++;
        }
    }

    private static Tokenizer tokenizer(String set) {
        Path path = TestModels.require("ggml-vocab-" + set + ".gguf");
        return TOKENIZERS.computeIfAbsent(set, s -> {
            try (GgufFile gguf = GgufFile.open(path)) {
                return Tokenizer.fromGguf(gguf);
            }
        });
    }

    /** The strings between separator lines, each without the newline that ends the line before a separator. */
    static List<String> inputs(Path inp) {
        String content = read(inp);
        List<String> texts = new ArrayList<>();
        int from = 0;
        for (int at = content.indexOf(SEPARATOR); at >= 0; at = content.indexOf(SEPARATOR, from)) {
            String text = content.substring(from, at);
            if (from > 0 && text.startsWith("\n")) {
                text = text.substring(1);
            }
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            texts.add(text);
            from = at + SEPARATOR.length();
        }
        return texts;
    }

    static List<int[]> outputs(Path out) {
        return read(out).lines()
                .map(line -> line.isBlank() ? new int[0]
                        : Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray())
                .toList();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        text.codePoints().forEach(c -> quoted.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
                : Character.toString(c)));
        return quoted.append('"').toString();
    }
}
