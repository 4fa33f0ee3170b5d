package dev.hanul.openai;

import dev.hanul.engine.chat.ChatMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code response_format: {"type": "json_object"}} by instruction: the engine has no guided decoding yet, so the
 * conversation gets a system instruction to answer with one JSON object (added to the first system message, or as
 * one). OpenAI's JSON mode asks the same of the user (the word "JSON" must be in the messages); unlike vLLM's grammar
 * it does not guarantee valid JSON, which the README says.
 */
final class JsonObjectMode {

    static final String INSTRUCTION = "Respond only with a single valid JSON object, without any text before or "
            + "after it.";

    private JsonObjectMode() {
    }

    static List<ChatMessage> apply(ResponseFormat format, List<ChatMessage> conversation) {
        String type = format == null || format.type() == null ? "text" : format.type();
        return switch (type) {
            case "text" -> conversation;
            case "json_object" -> instructed(conversation);
            default -> throw OpenAiException.invalid("response_format.type", ("response_format.type '%s' is not "
                    + "supported; use text or json_object.").formatted(type));
        };
    }

    private static List<ChatMessage> instructed(List<ChatMessage> conversation) {
        var messages = new ArrayList<>(conversation);
        if (!messages.isEmpty() && messages.getFirst().role().equals("system")) {
            messages.set(0, ChatMessage.system(messages.getFirst().content() + "\n\n" + INSTRUCTION));
        } else {
            messages.addFirst(ChatMessage.system(INSTRUCTION));
        }
        return messages;
    }
}
