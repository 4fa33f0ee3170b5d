package dev.hanul.openai;

import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.ServedModel;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where a plain chat completion's conversation becomes prompt tokens: the model's chat template (ChatML when the file
 * has none), ending where the assistant's turn begins. A RAG completion's prompt is rendered the same way by the chat
 * service, which has to measure each candidate prompt while it fits the sources into the window.
 */
@Component
public class ChatPrompt {

    private final ServedModel served;

    public ChatPrompt(ServedModel served) {
        this.served = served;
    }

    public int[] tokens(List<ChatMessage> conversation) {
        LoadedModel model = served.model();
        String text;
        try {
            text = model.chatTemplate().render(conversation, true);
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalid("messages", e.getMessage());
        }
        return model.tokenizer().encodePrompt(text);
    }
}
