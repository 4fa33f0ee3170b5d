package dev.hanul.finetune;

import dev.hanul.engine.chat.ChatMessage;
import java.util.List;


/**
 * One line of a training file: a conversation in OpenAI's chat fine-tuning format. The model learns the assistant
 * turns whose weight is 1 (the default); turns with weight 0 are context only, as in OpenAI's format.
 *
 * @param line the line number in the file, from 1
 */
record ChatExample(int line, List<Message> messages) {

    record Message(String role, String content, int weight) {

        boolean learned() {
            return role.equals("assistant") && weight == 1;
        }
    }

    ChatExample {
        messages = List.copyOf(messages);
    }

    /** The first {@code count} messages as the chat template takes them. */
    List<ChatMessage> templateMessages(int count) {
        return messages.subList(0, count).stream()
                .map(message -> new ChatMessage(message.role(), message.content())).toList();
    }
}
