package dev.hanul.openai;

import dev.hanul.engine.chat.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The conversation of a chat completion request as the chat template takes it: roles system, user and assistant
 * ({@code developer} is OpenAI's newer name for system), text content only.
 */
final class ChatMessages {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    private ChatMessages() {
    }

    static List<ChatMessage> of(List<ChatRequestMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw OpenAiException.invalid("messages", "messages must hold at least one message, such as "
                    + "{\"role\": \"user\", \"content\": \"Hello\"}.");
        }
        var conversation = new ArrayList<ChatMessage>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatRequestMessage message = messages.get(i);
            String at = "messages[" + i + "]";
            if (message == null) {
                throw OpenAiException.invalid(at, at + " is null; send a message object.");
            }
            if (message.role() == null || !ROLES.contains(message.role())) {
                String problem = "tool".equals(message.role()) ? " is a tool result, and this service does not "
                        + "support tools." : " is '" + message.role() + "'.";
                throw OpenAiException.invalid(at + ".role", at + ".role must be system, developer, user or "
                        + "assistant;" + problem);
            }
            if (message.toolCalls() != null && !message.toolCalls().isNull()) {
                throw OpenAiException.invalid(at + ".tool_calls", "Tool calls are not supported by this service; "
                        + "send the assistant's text as content.");
            }
            String role = message.role().equals("developer") ? "system" : message.role();
            conversation.add(new ChatMessage(role, text(message.content(), at + ".content")));
        }
        return conversation;
    }

    /** A string, or the text parts of an array joined by newlines; other part types (images, audio) are refused. */
    private static String text(JsonNode content, String param) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            throw OpenAiException.invalid(param, param + " is missing; send the message's text.");
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (!content.isArray()) {
            throw OpenAiException.invalid(param, param + " must be a string or an array of text parts, got "
                    + content.getNodeType().name().toLowerCase() + ".");
        }
        var parts = new ArrayList<String>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String at = param + "[" + j + "]";
            String type = part.path("type").asString("");
            if (!type.equals("text")) {
                throw OpenAiException.invalid(at + ".type", ("%s.type is '%s'; this service reads text only, parts "
                        + "like {\"type\": \"text\", \"text\": \"...\"}.").formatted(at, type));
            }
            if (!part.path("text").isString()) {
                throw OpenAiException.invalid(at + ".text", at + ".text must be a string.");
            }
            parts.add(part.path("text").stringValue());
        }
        return String.join("\n", parts);
    }
}
