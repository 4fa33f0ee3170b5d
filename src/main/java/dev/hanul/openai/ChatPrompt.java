package dev.hanul.openai;

import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.ServedModel;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The one place a chat conversation becomes prompt tokens: the model's chat template (ChatML when the file has none),
 * ending where the assistant's turn begins. Another source of context (retrieval for a "rag:" model) builds its
 * conversation and hands it here.
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
