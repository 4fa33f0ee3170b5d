package dev.hanul.engine.chat;

/** A function call a model wrote: the function's name and its arguments as JSON text (an object). */
public record ToolCall(String name, String arguments) {

    public ToolCall {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a tool call needs a function name");
        }
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
