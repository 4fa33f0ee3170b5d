package dev.hanul.openai;

/** {@code response_format}: {@code text} (the default) or {@code json_object}; {@code json_schema} is refused. */
public record ResponseFormat(String type) {
}
