package dev.hanul.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Models' own chat templates rendering a conversation with a tool, a call and its result, against what Hugging Face
 * transformers renders from the same template and conversation (src/test/resources/chat/tools/make_tool_fixtures.py),
 * and the same templates on a plain conversation. Qwen 3's, SmolLM3's and Llama 3.1's need what Jinjava lacks or
 * reads differently: Python's string methods ({@link PythonStringMethods}), Jinja2's {@code is iterable} for strings
 * ({@link PythonIterableTest}), keyword arguments of {@code namespace(...)}, {@code [::-1]} and {@code not} before a
 * comparison ({@link JinjaCompat}). SmolLM3's template (as llama.cpp keeps it) has no tools, so transformers drops them
 * and Hanul writes them the Hermes way ({@link #aTemplateWithoutToolsGetsThemAsQwen25WritesThem}): it is checked on the
 * plain conversation only. Llama 3.2's needs {@code strftime_now}.
 */
class ChatTemplateToolsTest {

    @ParameterizedTest
    @ValueSource(strings = {"Qwen-Qwen2.5-7B-Instruct", "Qwen-Qwen3-0.6B", "meta-llama-Llama-3.1-8B-Instruct",
            "mistralai-Mistral-Nemo-Instruct-2407"})
    void rendersToolsCallsAndResultsAsTransformers(String name) throws IOException {
        Map<String, List<Map<String, Object>>> conversation = JsonMapper.builder().build()
                .readValue(read("conversation.json"), new TypeReference<>() {
                });
        ChatTemplate template = new ChatTemplate(read(name + ".jinja"), "<s>", "</s>");
        String rendered = template.render(conversation.get("messages"), true, conversation.get("tools"));
        assertThat(rendered).isEqualTo(read(name + ".expected.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Qwen-Qwen2.5-7B-Instruct", "Qwen-Qwen3-0.6B", "HuggingFaceTB-SmolLM3-3B",
            "meta-llama-Llama-3.1-8B-Instruct", "mistralai-Mistral-Nemo-Instruct-2407"})
    void rendersAPlainConversationAsTransformers(String name) throws IOException {
        Map<String, List<Map<String, Object>>> conversation = JsonMapper.builder().build()
                .readValue(read("plain-conversation.json"), new TypeReference<>() {
                });
        ChatTemplate template = new ChatTemplate(read(name + ".jinja"), "<s>", "</s>");
        assertThat(template.render(conversation.get("messages"), true, null))
                .isEqualTo(read(name + ".plain.expected.txt"));
    }

    /**
     * A template that knows nothing of tools (plain ChatML, as SmolLM2's) gets them written the way Qwen 2.5's
     * template writes them; Qwen 2.5's template is ChatML plus tools, so the prompt equals the one transformers
     * rendered from Qwen 2.5's own template.
     */
    @Test
    void aTemplateWithoutToolsGetsThemAsQwen25WritesThem() throws IOException {
        Map<String, List<Map<String, Object>>> conversation = JsonMapper.builder().build()
                .readValue(read("conversation.json"), new TypeReference<>() {
                });
        ChatTemplate chatml = new ChatTemplate(ChatTemplate.CHATML, "<s>", "</s>");
        String rendered = chatml.render(conversation.get("messages"), true, conversation.get("tools"));
        assertThat(rendered).isEqualTo(read("Qwen-Qwen2.5-7B-Instruct.expected.txt"));
        assertThat(ToolCallFormat.of(ChatTemplate.CHATML)).isEqualTo(ToolCallFormat.HERMES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Qwen-Qwen2.5-7B-Instruct", "meta-llama-Llama-3.2-3B-Instruct",
            "mistralai-Mistral-Nemo-Instruct-2407"})
    void theToolCallFormatIsReadFromTheTemplate(String name) throws IOException {
        ToolCallFormat expected = switch (name) {
            case "Qwen-Qwen2.5-7B-Instruct" -> ToolCallFormat.HERMES;
            case "meta-llama-Llama-3.2-3B-Instruct" -> ToolCallFormat.LLAMA3_JSON;
            default -> ToolCallFormat.MISTRAL;
        };
        assertThat(ToolCallFormat.of(read(name + ".jinja"))).isEqualTo(expected);
    }

    private static String read(String name) throws IOException {
        try (InputStream in = ChatTemplateToolsTest.class.getResourceAsStream("/chat/tools/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
