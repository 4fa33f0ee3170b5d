package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.json.AutomatonGrammar;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generation constrained by a JSON Schema, a regex and a list of choices, checked on the text that comes out: parsed
 * by a real JSON parser and checked field by field, matched by java.util.regex. On stories260K, a story model that
 * never saw JSON, at temperature 1, so the constraint does all the work; on SmolLM2, a chat model asked for the data.
 */
class StructuredGenerationTest {

    private static final EngineConfig CONFIG = new EngineConfig(16L << 20, 16, 16, 64, 64, 32, 2);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String CITY = """
            {"type": "object", "additionalProperties": false,
             "properties": {"city": {"type": "string", "maxLength": 20},
                            "population": {"type": "integer", "minimum": 0, "maximum": 50000000},
                            "capital": {"type": "boolean"},
                            "rivers": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 3}},
             "required": ["city", "population", "capital", "rivers"]}""";

    @Test
    void aStoryModelAtTemperatureOneWritesSchemaValidJson() {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), CONFIG)) {
            AutomatonGrammar grammar = AutomatonGrammar.jsonSchema(engine.tokenizer(), CITY);
            for (long seed = 1; seed <= 4; seed++) {
                SamplingParams params = SamplingParams.builder().temperature(1f).seed(seed).maxTokens(400)
                        .constraint(grammar).build();
                EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1}, params)))
                        .await();
                assertThat(events.finished().reason()).as(events.text(0)).isEqualTo(FinishReason.STOP);
                assertValidCity(events.text(0));
            }
        }
    }

    @Test
    void aChatModelFillsTheSchemaAndStops() {
        try (LoadedModel smol = LoadedModel.open(TestModels.require(TestModels.SMOLLM2), 2);
             InferenceEngine chat = new InferenceEngine(smol.model(), smol.tokenizer(), CONFIG)) {
            AutomatonGrammar grammar = AutomatonGrammar.jsonSchema(smol.tokenizer(), CITY);
            int[] prompt = smol.tokenizer().encodePrompt(smol.chatTemplate().render(List.of(
                    ChatMessage.user("Describe Paris as JSON: city, population, capital, rivers.")), true));
            SamplingParams params = SamplingParams.builder().temperature(0f).maxTokens(120).constraint(grammar).build();
            EventCollector events = EventCollector.of(chat.submit(GenerationRequest.of(prompt, params))).await();
            assertThat(events.finished().reason()).as(events.text(0)).isEqualTo(FinishReason.STOP);
            JsonNode city = assertValidCity(events.text(0));
            assertThat(city.get("city").asString()).isEqualTo("Paris");
        }
    }

    @Test
    void regexAndChoiceConstrainTheWholeOutput() {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), CONFIG)) {
            AutomatonGrammar date = AutomatonGrammar.regex(engine.tokenizer(), "\\d{4}-(0[1-9]|1[0-2])-\\d{2}");
            AutomatonGrammar choice = AutomatonGrammar.choice(engine.tokenizer(), List.of("yes", "no", "maybe"));
            for (long seed = 1; seed <= 3; seed++) {
                SamplingParams params = SamplingParams.builder().temperature(1f).seed(seed).maxTokens(30).build();
                String day = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1},
                        params.toBuilder().constraint(date).build()))).await().text(0);
                assertThat(day).matches("\\d{4}-(0[1-9]|1[0-2])-\\d{2}");
                String answer = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1},
                        params.toBuilder().constraint(choice).build()))).await().text(0);
                assertThat(answer).isIn("yes", "no", "maybe");
            }
        }
    }

    /** Parses the text and checks every constraint of {@link #CITY} by hand. */
    static JsonNode assertValidCity(String text) {
        JsonNode city = JSON.readTree(text);
        assertThat(city.propertyNames()).as(text).containsExactly("city", "population", "capital", "rivers");
        assertThat(city.get("city").isString()).isTrue();
        assertThat(city.get("city").asString().codePointCount(0, city.get("city").asString().length()))
                .isLessThanOrEqualTo(20);
        assertThat(city.get("population").isIntegralNumber()).isTrue();
        assertThat(city.get("population").asLong()).isBetween(0L, 50_000_000L);
        assertThat(city.get("capital").isBoolean()).isTrue();
        assertThat(city.get("rivers").isArray()).isTrue();
        assertThat(city.get("rivers").size()).isLessThanOrEqualTo(3);
        city.get("rivers").forEach(river -> assertThat(river.isString()).isTrue());
        return city;
    }
}
