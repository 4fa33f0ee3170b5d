package dev.hanul.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fixtures made by llama.cpp and cross-checked with sentencepiece / Hugging Face (see
 * src/test/resources/tokenizer/make_fixtures.py): English, Korean, CJK, code, emoji with ZWJ sequences, whitespace
 * runs, digits and chat special tokens, for the 32k Llama vocabulary and SmolLM2's.
 */
class TokenizerFixturesTest {

    record Fixture(String model, String reference, Map<String, String> versions, List<Case> cases) {
    }

    record Case(String text, boolean parseSpecial, int[] ids, String decoded, String crosscheck) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() {
        return Stream.of(Map.entry("llama2-32k.json", TestModels.TINY_RANDOM),
                        Map.entry("smollm2.json", TestModels.SMOLLM2))
                .flatMap(fixture -> read(fixture.getKey()).cases().stream()
                        .map(c -> Arguments.of(fixture.getKey(), fixture.getValue(),
                                GgmlVocabTestSetsTest.quoted(c.text()), c)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void encodesAndDecodesLikeLlamaCpp(String fixture, String model, String quotedText, Case expected) {
        Tokenizer tokenizer = tokenizer(model);
        String what = "%s: %s (parseSpecial=%s)".formatted(fixture, quotedText, expected.parseSpecial());
        assertArrayEquals(expected.ids(), tokenizer.encode(expected.text(), expected.parseSpecial()), what);
        assertEquals(decodedByOurRule(tokenizer, expected), tokenizer.decode(expected.ids()), what);
    }

    /**
     * llama.cpp's detokenize drops the added space from the first token only; after a leading BOS it keeps it. The
     * streaming rule here (llama2.c's) drops it from the first piece of text, so generating from BOS gives no space.
     */
    private static String decodedByOurRule(Tokenizer tokenizer, Case expected) {
        boolean startsWithControl = expected.ids().length > 0 && tokenizer.isSpecial(expected.ids()[0]);
        return startsWithControl && expected.decoded().startsWith(" ") ? expected.decoded().substring(1)
                : expected.decoded();
    }

    private static Tokenizer tokenizer(String model) {
        var path = TestModels.require(model);
        return TOKENIZERS.computeIfAbsent(model, m -> {
            try (GgufFile gguf = GgufFile.open(path)) {
                return Tokenizer.fromGguf(gguf);
            }
        });
    }

    private static Fixture read(String name) {
        try (InputStream in = TokenizerFixturesTest.class.getResourceAsStream("/tokenizer/" + name)) {
            return JSON.readValue(in, Fixture.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
