package dev.hanul.security.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.chat.ChatTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat template renderer (Jinja) on conversations as users send them: any roles and contents, including text
 * that looks like Jinja ({{ }}, {% %}) or like the template's own markers. Rendering ChatML never fails, and every
 * message's content appears verbatim: user text is data, never evaluated as template code.
 */
class ChatTemplateFuzzTest {

    private static final ChatTemplate CHATML = new ChatTemplate(ChatTemplate.CHATML, "<s>", "</s>");

    @FuzzTest(maxDuration = "5s")
    void userTextIsNeverTemplateCode(FuzzedDataProvider data) {
        List<ChatMessage> messages = new ArrayList<>();
        int count = data.consumeInt(1, 4);
        for (int i = 0; i < count; i++) {
            messages.add(new ChatMessage(data.pickValue(List.of("system", "user", "assistant")),
                    data.consumeString(200)));
        }
        String rendered = CHATML.render(messages, data.consumeBoolean());
        for (ChatMessage message : messages) {
            assertThat(rendered).contains(message.content());
        }
    }
}
