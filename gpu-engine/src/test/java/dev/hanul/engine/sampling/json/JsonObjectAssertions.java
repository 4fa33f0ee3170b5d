package dev.hanul.engine.sampling.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks of constrained output with a real JSON parser (Jackson), not with the recognizer under test. */
public final class JsonObjectAssertions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonObjectAssertions() {
    }

    /** The text parses as one JSON object, which is returned. */
    public static JsonNode assertIsAnObject(String text) {
        JsonNode node = JSON.readTree(text);
        assertThat(node.isObject()).as(text).isTrue();
        return node;
    }

    /**
     * The text is the beginning of a JSON object cut off by max_tokens: the parser reads it to its end and fails only
     * because the input ends.
     */
    public static void assertBeginsAnObject(String text) {
        assertThatThrownBy(() -> {
            try (JsonParser parser = JSON.createParser(text)) {
                assertThat(parser.nextToken()).as(text).isEqualTo(JsonToken.START_OBJECT);
                while (parser.nextToken() != null) {
                    parser.finishToken();
                }
            }
        }).as(text).isInstanceOf(UnexpectedEndOfInputException.class);
    }
}
