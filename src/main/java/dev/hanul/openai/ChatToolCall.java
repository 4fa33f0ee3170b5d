package dev.hanul.openai;

import dev.hanul.engine.chat.ToolCall;
import java.util.UUID;

/** A function call in an assistant's message, as OpenAI writes it: {@code {id, type: "function", function}}. */
public record ChatToolCall(String id, String type, Function function) {

    /** @param arguments the arguments as JSON text, as OpenAI sends them */
    public record Function(String name, String arguments) {
    }

    static ChatToolCall of(ToolCall call) {
        return new ChatToolCall(newId(), "function", new Function(call.name(), call.arguments()));
    }

    /** OpenAI's form: "call_" and 24 letters and digits. */
    static String newId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
