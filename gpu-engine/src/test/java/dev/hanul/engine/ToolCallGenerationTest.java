package dev.hanul.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.chat.ToolCall;
import dev.hanul.engine.chat.ToolCallFormat;
import dev.hanul.engine.chat.ToolCallParser;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.json.AutomatonGrammar;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tool call forced by the constraint ({@code tool_choice: "required"} or a named function) always parses, in each
 * format, with arguments valid against the function's schema: on stories260K at temperature 1, a model that knows
 * nothing of tools, so the constraint does all the work. With parallel calls allowed it may go on calling until
 * max_tokens (a story model does not like to stop): such a cut output is only checked to begin a call.
 */
class ToolCallGenerationTest {

    private static final String WEATHER = """
            {"type": "object", "properties": {"city": {"type": "string", "maxLength": 12},
             "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city", "unit"]}""";

    private static final String TIME = """
            {"type": "object", "properties": {"zone": {"type": "string", "maxLength": 8}}, "required": ["zone"]}""";

    @Test
    void forcedCallsParseInEveryFormat() {
        EngineConfig config = new EngineConfig(16L << 20, 16, 16, 64, 64, 32, 2);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.require(TestModels.STORIES), config)) {
            List<AutomatonGrammar.Function> functions = List.of(new AutomatonGrammar.Function("get_weather", WEATHER),
                    new AutomatonGrammar.Function("get_time", TIME));
            for (ToolCallFormat format : ToolCallFormat.values()) {
                for (long seed = 1; seed <= 2; seed++) {
                    AutomatonGrammar grammar = AutomatonGrammar.toolCalls(engine.tokenizer(), format, functions,
                            seed == 2);
                    SamplingParams params = SamplingParams.builder().temperature(1f).seed(seed).maxTokens(160)
                            .constraint(grammar).build();
                    EventCollector events = EventCollector.of(engine.submit(GenerationRequest.of(new int[] {1},
                            params))).await();
                    String text = events.text(0);
                    if (events.finished().reason() == FinishReason.LENGTH) {
                        assertThat(seed).as("only parallel calls may run to max_tokens: " + text).isEqualTo(2);
                        assertThat(text).startsWith(format.open());
                        continue;
                    }
                    ToolCallParser.Parsed parsed = new ToolCallParser(format).parse(text);
                    assertThat(parsed.calls()).as(format + ": " + text).isNotEmpty();
                    if (seed == 1) {
                        assertThat(events.finished().reason()).as(format + ": " + text).isEqualTo(FinishReason.STOP);
                        assertThat(parsed.calls()).as("one call unless parallel").hasSize(1);
                    }
                    if (events.finished().reason() == FinishReason.STOP) {
                        assertThat(parsed.content()).as(format + ": " + text).isEmpty();
                    }
                    for (ToolCall call : parsed.calls()) {
                        JsonNode arguments = JsonMapper.builder().build().readTree(call.arguments());
                        assertThat(arguments.isObject()).isTrue();
                        if (call.name().equals("get_weather")) {
                            assertThat(arguments.get("unit").asString()).isIn("celsius", "fahrenheit");
                            assertThat(arguments.get("city").isString()).isTrue();
                        } else {
                            assertThat(call.name()).isEqualTo("get_time");
                            assertThat(arguments.get("zone").isString()).isTrue();
                        }
                    }
                }
            }
        }
    }
}
