package dev.hanul.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.chat.ToolCallStream.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Function calls read from model output in each family's format, whole and streamed in small pieces. */
class ToolCallParserTest {

    private static final ToolCall WEATHER = new ToolCall("get_weather", "{\"city\":\"Seoul\"}");
    private static final ToolCall TIME = new ToolCall("get_time", "{\"zone\":\"KST\"}");

    @Test
    void hermesCallsAreTakenOutOfTheText() {
        String output = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Seoul\"}}\n"
                + "</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {\"zone\": \"KST\"}}\n</tool_call>";
        ToolCallParser.Parsed parsed = new ToolCallParser(ToolCallFormat.HERMES).parse(output);
        assertThat(parsed.content()).isEqualTo("Let me check.");
        assertThat(parsed.calls()).containsExactly(WEATHER, TIME);
    }

    @Test
    void aBrokenCallStaysText() {
        String output = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \n</tool_call>";
        ToolCallParser.Parsed parsed = new ToolCallParser(ToolCallFormat.HERMES).parse(output);
        assertThat(parsed.calls()).isEmpty();
        assertThat(parsed.content()).isEqualTo(output);
    }

    @Test
    void llama3MistralAndPhi4Formats() {
        assertThat(new ToolCallParser(ToolCallFormat.LLAMA3_JSON).parse(
                "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Seoul\"}}; "
                        + "{\"name\": \"get_time\", \"parameters\": {\"zone\": \"KST\"}}").calls())
                .containsExactly(WEATHER, TIME);
        assertThat(new ToolCallParser(ToolCallFormat.LLAMA3_JSON).parse("Seoul is cold.").calls()).isEmpty();
        assertThat(new ToolCallParser(ToolCallFormat.MISTRAL).parse(
                "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Seoul\"}}, "
                        + "{\"name\": \"get_time\", \"arguments\": {\"zone\": \"KST\"}}]").calls())
                .containsExactly(WEATHER, TIME);
        assertThat(new ToolCallParser(ToolCallFormat.PHI4).parse(
                "<|tool_call|>[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Seoul\"}}]<|/tool_call|>")
                .calls()).containsExactly(WEATHER);
    }

    @Test
    void aStreamPassesTextOnAndHoldsEachCallUntilItIsWhole() {
        String output = "Checking <tool> tags.<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                + "{\"city\": \"Seoul\"}}\n</tool_call>Done.";
        for (int piece = 1; piece <= 7; piece++) {
            ToolCallStream stream = new ToolCallStream(ToolCallFormat.HERMES);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < output.length(); i += piece) {
                events.addAll(stream.feed(output.substring(i, Math.min(output.length(), i + piece))));
            }
            events.addAll(stream.finish());
            StringBuilder text = new StringBuilder();
            List<ToolCall> calls = new ArrayList<>();
            for (Event event : events) {
                switch (event) {
                    case Event.Text t -> {
                        assertThat(t.text()).doesNotContain("<tool_call>");
                        text.append(t.text());
                    }
                    case Event.Call c -> calls.add(c.call());
                }
            }
            assertThat(text.toString()).as("pieces of %d", piece).isEqualTo("Checking <tool> tags.Done.");
            assertThat(calls).containsExactly(WEATHER);
        }
    }

    @Test
    void aLlama3StreamHoldsAnOutputThatIsACall() {
        ToolCallStream call = new ToolCallStream(ToolCallFormat.LLAMA3_JSON);
        assertThat(call.feed("{\"name\": \"get_weather\", ")).isEmpty();
        assertThat(call.feed("\"parameters\": {\"city\": \"Seoul\"}}")).isEmpty();
        assertThat(call.finish()).containsExactly(new Event.Call(WEATHER));
        ToolCallStream text = new ToolCallStream(ToolCallFormat.LLAMA3_JSON);
        assertThat(text.feed("It is")).containsExactly(new Event.Text("It is"));
        assertThat(text.feed(" cold.")).containsExactly(new Event.Text(" cold."));
    }
}
