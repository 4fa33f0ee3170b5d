package dev.hanul.openai;

import dev.hanul.engine.chat.ChatMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conversation of a chat completion request as chat templates take it (OpenAI's shape, as Hugging Face's
 * apply_chat_template reads it): roles system, user, assistant and tool ({@code developer} is OpenAI's newer name for
 * system), text content only; an assistant's {@code tool_calls} with their arguments parsed into objects (templates
 * write them with {@code tojson}), and a tool message's {@code tool_call_id} with the called function's name (some
 * templates write it, and OpenAI's tool messages do not carry it).
 */
final class ChatMessages {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChatMessages() {
    }

    static List<Map<String, Object>> of(List<ChatRequestMessage> messages) {
        if (messages == null || messages.isEmpty()) {
            throw OpenAiException.invalid("messages", "messages must hold at least one message, such as "
                    + "{\"role\": \"user\", \"content\": \"Hello\"}.");
        }
        var conversation = new ArrayList<Map<String, Object>>(messages.size());
        Map<String, String> calledFunctions = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatRequestMessage message = messages.get(i);
            String at = "messages[" + i + "]";
            if (message == null) {
                throw OpenAiException.invalid(at, at + " is null; send a message object.");
            }
            if (message.role() == null || !ROLES.contains(message.role())) {
                throw OpenAiException.invalid(at + ".role", at + ".role must be system, developer, user, assistant "
                        + "or tool; it is '" + message.role() + "'.");
            }
            String role = message.role().equals("developer") ? "system" : message.role();
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", role);
            boolean calls = present(message.toolCalls());
            if (calls && !role.equals("assistant")) {
                throw OpenAiException.invalid(at + ".tool_calls", at + ".tool_calls belongs to assistant messages "
                        + "only.");
            }
            turn.put("content", calls && !present(message.content()) ? ""
                    : text(message.content(), at + ".content"));
            if (calls) {
                turn.put("tool_calls", toolCalls(message.toolCalls(), at + ".tool_calls", calledFunctions));
            }
            if (role.equals("tool")) {
                if (message.toolCallId() == null || message.toolCallId().isBlank()) {
                    throw OpenAiException.invalid(at + ".tool_call_id", at + ".tool_call_id is missing; send the id "
                            + "of the assistant's tool call this message answers.");
                }
                turn.put("tool_call_id", message.toolCallId());
                String name = message.name() != null ? message.name() : calledFunctions.get(message.toolCallId());
                if (name != null) {
                    turn.put("name", name);
                }
            } else if (message.name() != null) {
                turn.put("name", message.name());
            }
            conversation.add(turn);
        }
        return conversation;
    }

    /** The conversation as plain turns, for the RAG entry point, which takes no tools. */
    static List<ChatMessage> plain(List<Map<String, Object>> conversation) {
        var plain = new ArrayList<ChatMessage>(conversation.size());
        for (int i = 0; i < conversation.size(); i++) {
            Map<String, Object> turn = conversation.get(i);
            if (turn.get("role").equals("tool") || turn.containsKey("tool_calls")) {
                throw OpenAiException.invalid("messages[" + i + "]", "Tool calls and tool results cannot be sent "
                        + "with rag: answers from documents do not call tools. Leave out messages[" + i + "].");
            }
            plain.add(new ChatMessage((String) turn.get("role"), (String) turn.get("content")));
        }
        return plain;
    }

    /** The text of the last user message, for the interaction log. */
    static String lastUserText(List<Map<String, Object>> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if ("user".equals(conversation.get(i).get("role"))) {
                return (String) conversation.get(i).get("content");
            }
        }
        return null;
    }

    private static List<Map<String, Object>> toolCalls(JsonNode calls, String param, Map<String, String> names) {
        if (!calls.isArray()) {
            throw OpenAiException.invalid(param, param + " must be an array of {\"id\", \"type\": \"function\", "
                    + "\"function\": {\"name\", \"arguments\"}}.");
        }
        var list = new ArrayList<Map<String, Object>>();
        for (int j = 0; j < calls.size(); j++) {
            JsonNode call = calls.get(j);
            String at = param + "[" + j + "]";
            JsonNode function = call.path("function");
            if (!function.path("name").isString() || function.path("name").stringValue().isBlank()) {
                throw OpenAiException.invalid(at + ".function.name", at + ".function.name is missing.");
            }
            String name = function.path("name").stringValue();
            Map<String, Object> written = new LinkedHashMap<>();
            written.put("name", name);
            written.put("arguments", arguments(function.path("arguments"), at + ".function.arguments"));
            Map<String, Object> turn = new LinkedHashMap<>();
            String id = call.path("id").asString(null);
            if (id != null) {
                turn.put("id", id);
                names.put(id, name);
            }
            turn.put("type", "function");
            turn.put("function", written);
            list.add(turn);
        }
        return list;
    }

    /** The arguments as an object: OpenAI sends them as JSON text. */
    private static Object arguments(JsonNode arguments, String param) {
        if (arguments.isMissingNode() || arguments.isNull()) {
            return Map.of();
        }
        JsonNode parsed = arguments;
        if (arguments.isString()) {
            try {
                parsed = JSON.readTree(arguments.stringValue());
            } catch (JacksonException e) {
                throw OpenAiException.invalid(param, param + " is not valid JSON: send the arguments the "
                        + "assistant's call had, as a JSON object in a string.");
            }
        }
        if (!parsed.isObject()) {
            throw OpenAiException.invalid(param, param + " must be a JSON object (as a string).");
        }
        return JSON.convertValue(parsed, Map.class);
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

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
