package dev.hanul.engine.chat;

import dev.hanul.engine.gguf.GgufFile;

/**
 * How a model family writes function calls in its output, as its chat template teaches it. Each format has the text
 * that opens a call (or a list of calls), the text that closes it, and the JSON key of the arguments.
 */
public enum ToolCallFormat {
    /** Hermes, Qwen 2.5 / Qwen 3, SmolLM3: {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}, one per call. */
    HERMES("<tool_call>", "</tool_call>", "arguments", false),
    /** Llama 3.1+: a bare JSON object {@code {"name": ..., "parameters": {...}}}, after {@code <|python_tag|>} or not. */
    LLAMA3_JSON("", "", "parameters", false),
    /** Mistral: {@code [TOOL_CALLS]} then a JSON array of {@code {"name": ..., "arguments": {...}}}. */
    MISTRAL("[TOOL_CALLS]", "", "arguments", true),
    /** Phi-4-mini: {@code <|tool_call|>[...]<|/tool_call|>}, a JSON array of calls. */
    PHI4("<|tool_call|>", "<|/tool_call|>", "arguments", true);

    private final String open;
    private final String close;
    private final String argumentsKey;
    private final boolean array;

    ToolCallFormat(String open, String close, String argumentsKey, boolean array) {
        this.open = open;
        this.close = close;
        this.argumentsKey = argumentsKey;
        this.array = array;
    }

    /** The text before a call (empty when the call is a bare JSON object). */
    public String open() {
        return open;
    }

    /** The text after a call (empty when the JSON's end ends it). */
    public String close() {
        return close;
    }

    /** The key of the arguments in the call's JSON object ("arguments", or Llama 3's "parameters"). */
    public String argumentsKey() {
        return argumentsKey;
    }

    /** Whether the calls come as one JSON array rather than one object per call. */
    public boolean array() {
        return array;
    }

    /** The format the model's chat template uses, read from its text; HERMES when it names none (the most common). */
    public static ToolCallFormat of(String chatTemplate) {
        if (chatTemplate == null) {
            return HERMES;
        }
        if (chatTemplate.contains("<tool_call>")) {
            return HERMES;
        }
        if (chatTemplate.contains("[TOOL_CALLS]")) {
            return MISTRAL;
        }
        if (chatTemplate.contains("<|tool_call|>")) {
            return PHI4;
        }
        if (chatTemplate.contains("<|python_tag|>") || chatTemplate.contains("\"parameters\"")) {
            return LLAMA3_JSON;
        }
        return HERMES;
    }

    public static ToolCallFormat of(GgufFile gguf) {
        return of(gguf.getString("tokenizer.chat_template", null));
    }
}
