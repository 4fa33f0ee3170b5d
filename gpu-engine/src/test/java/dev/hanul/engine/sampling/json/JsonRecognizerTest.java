package dev.hanul.engine.sampling.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonRecognizerTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        " {\n  \"a\" : 1 }",
        "{\"a\":[1,-2.5e+3,0,0.25,1E9,-0]}",
        "{\"t\":true,\"f\":false,\"n\":null}",
        "{\"nested\":{\"deep\":[[[]],{},[{\"x\":\"y\"}]]}}",
        "{\"esc\":\"quote \\\" back \\\\ slash \\/ \\b\\f\\n\\r\\t \\u00e9\\uD83D\\uDE00\"}",
        "{\"utf8\":\"é 한 😀\"}",
        "{\"a\":[ 1 , 2 ]\t}",
    })
    void wholeObjectsAreComplete(String json) {
        long state = advance(JsonRecognizer.START, json);
        assertThat(state).as(json).isNotEqualTo(JsonRecognizer.INVALID);
        assertThat(new JsonRecognizer().reset(state).complete()).as(json).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"", "{\"ke", "{\"key\"", "{\"key\":", "{\"key\": -", "{\"k\":1",
        "{\"k\":1.", "{\"k\":1e", "{\"k\":1e-", "{\"k\":tr", "{\"k\":\"\\", "{\"k\":\"\\u12", "{\"k\":[",
        "{\"k\":[1,", "{\"k\":{\"j\":{}"})
    void prefixesAreValidButNotComplete(String prefix) {
        long state = advance(JsonRecognizer.START, prefix);
        assertThat(state).as(prefix).isNotEqualTo(JsonRecognizer.INVALID);
        assertThat(new JsonRecognizer().reset(state).complete()).as(prefix).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",                 // the top level must be an object
        "\"text\"", "1", "true",
        "{a:1}",              // keys are strings
        "{\"a\" 1}",
        "{\"a\":1,}",         // no trailing commas
        "{,",
        "{\"a\":[1,]}",
        "{\"a\":01}",         // no leading zeros
        "{\"a\":1.}",         // a fraction needs digits
        "{\"a\":.5}",
        "{\"a\":+1}",
        "{\"a\":1e}",
        "{\"a\":tru}",
        "{\"a\":True}",
        "{\"a\":\"\\x\"}",    // unknown escape
        "{\"a\":\"\\u12g4\"}",
        "{\"a\":\"tab\there\"}",  // control characters must be escaped
        "{\"a\":[}",
        "{\"a\":{]}",
        "{} ",                // nothing after the object, not even whitespace
        "{}{}",
    })
    void invalidTextIsRefused(String json) {
        assertThat(advance(JsonRecognizer.START, json)).as(json).isEqualTo(JsonRecognizer.INVALID);
    }

    @Test
    void stringsTakeWholeUtf8CharactersSplitAcrossTokens() {
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);
        var recognizer = new JsonRecognizer();
        long state = advance(JsonRecognizer.START, "{\"a\":\"");
        state = recognizer.advance(state, new byte[] {smile[0], smile[1]});
        assertThat(state).isNotEqualTo(JsonRecognizer.INVALID);
        assertThat(recognizer.advance(state, new byte[] {'"'})).as("the character is unfinished")
                .isEqualTo(JsonRecognizer.INVALID);
        state = recognizer.advance(state, new byte[] {smile[2], smile[3], '"', '}'});
        assertThat(recognizer.reset(state).complete()).isTrue();
        assertThat(advance(advance(JsonRecognizer.START, "{\"a\":\""), new byte[] {(byte) 0x80}))
                .as("a continuation byte without its lead").isEqualTo(JsonRecognizer.INVALID);
        assertThat(advance(advance(JsonRecognizer.START, "{\"a\":\""), new byte[] {(byte) 0xFF}))
                .isEqualTo(JsonRecognizer.INVALID);
    }

    @Test
    void whitespaceRunsAreLimited() {
        String blanks = " ".repeat(JsonRecognizer.MAX_WHITESPACE_RUN);
        assertThat(advance(JsonRecognizer.START, "{" + blanks + "\"a\":" + blanks + "1" + blanks + "}"))
                .isNotEqualTo(JsonRecognizer.INVALID);
        assertThat(advance(JsonRecognizer.START, "{" + blanks + " ")).isEqualTo(JsonRecognizer.INVALID);
        assertThat(advance(JsonRecognizer.START, "{\"a\":1" + blanks + " ")).as("after a number")
                .isEqualTo(JsonRecognizer.INVALID);
        assertThat(advance(JsonRecognizer.START, "{\"a\":\"" + blanks + blanks + "\"}"))
                .as("inside strings blanks are text").isNotEqualTo(JsonRecognizer.INVALID);
    }

    @Test
    void nestingIsLimited() {
        String deepest = "{\"a\":" + "[".repeat(JsonRecognizer.MAX_DEPTH - 1);
        assertThat(advance(JsonRecognizer.START, deepest)).isNotEqualTo(JsonRecognizer.INVALID);
        assertThat(advance(JsonRecognizer.START, deepest + "[")).isEqualTo(JsonRecognizer.INVALID);
        String closed = deepest + "]".repeat(JsonRecognizer.MAX_DEPTH - 1) + "}";
        assertThat(new JsonRecognizer().reset(advance(JsonRecognizer.START, closed)).complete()).isTrue();
    }

    @Test
    void equalStatesPackEqually() {
        assertThat(advance(JsonRecognizer.START, "{\"a\":\"x"))
                .isEqualTo(advance(JsonRecognizer.START, "{\"bcd\":\"yz"));
        assertThat(advance(JsonRecognizer.START, "{\"a\":[1,{}]"))
                .isEqualTo(advance(JsonRecognizer.START, "{\"b\":[true]"))
                .isNotEqualTo(advance(JsonRecognizer.START, "{\"b\":{\"c\":true"));
    }

    private static long advance(long state, String text) {
        return advance(state, text.getBytes(StandardCharsets.UTF_8));
    }

    private static long advance(long state, byte[] bytes) {
        return state == JsonRecognizer.INVALID ? state : new JsonRecognizer().advance(state, bytes);
    }
}
