package dev.hanul.engine.chat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits a model's finished output into its text and the function calls it wrote in its {@link ToolCallFormat}.
 * Text that looks like a call but is not valid JSON of a call stays text, so nothing the model wrote is lost.
 */
public final class ToolCallParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What an output held: its text with the calls taken out (trimmed), and the calls in order. */
    public record Parsed(String content, List<ToolCall> calls) {
    }

    private final ToolCallFormat format;

    public ToolCallParser(ToolCallFormat format) {
        this.format = format;
    }

    public Parsed parse(String output) {
        return switch (format) {
            case HERMES -> delimited(output);
            case MISTRAL, PHI4 -> delimited(output);
            case LLAMA3_JSON -> llama3(output);
        };
    }

    /** Calls between the open and close markers (the close may be missing at the very end of the output). */
    private Parsed delimited(String output) {
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        int at = 0;
        while (true) {
            int open = output.indexOf(format.open(), at);
            if (open < 0) {
                content.append(output, at, output.length());
                break;
            }
            int bodyStart = open + format.open().length();
            int close = format.close().isEmpty() ? -1 : output.indexOf(format.close(), bodyStart);
            int bodyEnd = close < 0 ? output.length() : close;
            List<ToolCall> parsed = calls(output.substring(bodyStart, bodyEnd));
            if (parsed == null) {
                content.append(output, at, bodyEnd);
                at = bodyEnd;
                if (close < 0) {
                    break;
                }
                continue;
            }
            content.append(output, at, open);
            calls.addAll(parsed);
            at = close < 0 ? output.length() : close + format.close().length();
        }
        return new Parsed(content.toString().strip(), List.copyOf(calls));
    }

    /** Llama 3: the whole output (after an optional <|python_tag|>) is one call or several joined by ';'. */
    private Parsed llama3(String output) {
        String body = output.strip();
        if (body.startsWith("<|python_tag|>")) {
            body = body.substring("<|python_tag|>".length()).strip();
        }
        if (!body.startsWith("{")) {
            return new Parsed(output.strip(), List.of());
        }
        List<ToolCall> calls = new ArrayList<>();
        String[] parts = body.split(";(?=\\s*\\{)");
        for (int i = 0; i < parts.length; i++) {
            List<ToolCall> parsed = calls(parts[i]);
            if (parsed == null) {
                // What does not parse (a call cut short) stays text; the calls before it stand.
                String rest = String.join(";", java.util.Arrays.copyOfRange(parts, i, parts.length)).strip();
                return new Parsed(calls.isEmpty() ? output.strip() : rest, List.copyOf(calls));
            }
            calls.addAll(parsed);
        }
        return new Parsed("", List.copyOf(calls));
    }

    /** The calls in a JSON object or array of objects, or null when the text is not that. */
    private List<ToolCall> calls(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json.strip());
        } catch (JacksonException e) {
            return null;
        }
        List<ToolCall> calls = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode item : node) {
                ToolCall call = call(item);
                if (call == null) {
                    return null;
                }
                calls.add(call);
            }
            return calls;
        }
        ToolCall call = node == null ? null : call(node);
        return call == null ? null : List.of(call);
    }

    private ToolCall call(JsonNode node) {
        if (!node.isObject() || !node.path("name").isString() || node.path("name").asString().isBlank()) {
            return null;
        }
        JsonNode arguments = node.get(format.argumentsKey());
        if (arguments == null) {
            arguments = node.get(format.argumentsKey().equals("arguments") ? "parameters" : "arguments");
        }
        String text = arguments == null ? "{}"
                : arguments.isString() ? arguments.asString() : JSON.writeValueAsString(arguments);
        return new ToolCall(node.get("name").asString(), text);
    }
}
