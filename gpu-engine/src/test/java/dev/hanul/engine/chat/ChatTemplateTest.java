package dev.hanul.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChatTemplateTest {

    @Test
    void rendersSmolLm2TemplateExactlyAsTransformersDoes() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/chat/smollm2_chat_template.json")) {
            fixture = JsonMapper.builder().build().readTree(in);
        }
        try (GgufFile gguf = GgufFile.open(TestModels.require(TestModels.SMOLLM2))) {
            ChatTemplate template = ChatTemplate.of(gguf);
            for (JsonNode c : fixture.get("cases")) {
                List<ChatMessage> messages = c.get("messages").valueStream()
                        .map(m -> new ChatMessage(m.get("role").asString(), m.get("content").asString()))
                        .toList();
                assertThat(template.render(messages, c.get("add_generation_prompt").asBoolean()))
                        .isEqualTo(c.get("expected").asString());
            }
        }
    }

    @Test
    void modelsWithoutATemplateGetChatMl() {
        ChatTemplate template = new ChatTemplate(ChatTemplate.CHATML, "", "");
        assertThat(template.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), true))
                .isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void jinjaWrittenInAMessageIsTextNeverTemplateCode() {
        ChatTemplate template = new ChatTemplate(ChatTemplate.CHATML, "<s>", "</s>");
        String content = "{{ bos_token }}{{ 7 * 7 }}{% if true %}yes{% endif %}{{#{";
        assertThat(template.render(List.of(ChatMessage.user(content)), false))
                .isEqualTo("<|im_start|>user\n" + content + "<|im_end|>\n");
    }

    @Test
    void templatesThatRaiseExceptionsBecomeClearErrors() {
        ChatTemplate template = new ChatTemplate(
                "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversations must start with a user') }}"
                        + "{% endif %}ok", "<s>", "</s>");
        assertThat(template.render(List.of(ChatMessage.user("Hi")), true)).isEqualTo("ok");
        assertThatThrownBy(() -> template.render(List.of(ChatMessage.assistant("Hi")), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conversations must start with a user");
    }
}
