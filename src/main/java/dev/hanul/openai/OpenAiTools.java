package dev.hanul.openai;

import dev.hanul.inference.ChatTools;
import dev.hanul.inference.ToolChoice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} read into the façade's
 * {@link ChatTools}; each mistake is a 400 naming the field at fault. The legacy {@code functions} and
 * {@code function_call} are refused with the way to write them as tools.
 */
final class OpenAiTools {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private OpenAiTools() {
    }

    /** The request's tools; no functions and choice none when it has none. */
    static ChatTools of(ChatCompletionRequest request) {
        refuseLegacy("functions", request.functions());
        refuseLegacy("function_call", request.functionCall());
        List<ChatTools.Function> functions = functions(request.tools());
        ToolChoice choice = choice(request.toolChoice(), !functions.isEmpty());
        return new ChatTools(functions, choice, !Boolean.FALSE.equals(request.parallelToolCalls()));
    }

    /** Tools to render only (as /tokenize counts them): the model is shown them, as with tool_choice auto. */
    static ChatTools of(JsonNode tools) {
        return new ChatTools(functions(tools), new ToolChoice.Auto(), true);
    }

    private static List<ChatTools.Function> functions(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw OpenAiException.invalid("tools", "tools must be an array of {\"type\": \"function\", \"function\": "
                    + "{\"name\", \"description\", \"parameters\"}}.");
        }
        List<ChatTools.Function> functions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!"function".equals(tool.path("type").asString(""))) {
                throw OpenAiException.invalid(at + ".type", at + ".type must be \"function\", got "
                        + tool.path("type") + ".");
            }
            JsonNode function = tool.path("function");
            String name = function.path("name").asString("");
            if (!name.matches("[a-zA-Z0-9_-]{1,64}")) {
                throw OpenAiException.invalid(at + ".function.name", at + ".function.name must be 1 to 64 letters, "
                        + "digits, underscores or dashes, got '" + name + "'.");
            }
            if (!names.add(name)) {
                throw OpenAiException.invalid(at + ".function.name", "Two tools are named '" + name + "'; function "
                        + "names must be unique.");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw OpenAiException.invalid(at + ".function.parameters", at + ".function.parameters must be a JSON "
                        + "Schema object.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = parameters == null || parameters.isNull() ? null
                    : JSON.convertValue(parameters, Map.class);
            JsonNode description = function.get("description");
            functions.add(new ChatTools.Function(name, description != null && description.isString()
                    ? description.stringValue() : null, schema));
        }
        return functions;
    }

    private static ToolChoice choice(JsonNode choice, boolean hasTools) {
        if (choice == null || choice.isNull()) {
            return hasTools ? new ToolChoice.Auto() : new ToolChoice.None();
        }
        if (choice.isString()) {
            return switch (choice.stringValue()) {
                case "auto" -> new ToolChoice.Auto();
                case "none" -> new ToolChoice.None();
                case "required" -> new ToolChoice.Required();
                default -> throw OpenAiException.invalid("tool_choice", "tool_choice must be \"auto\", \"none\", "
                        + "\"required\" or {\"type\": \"function\", \"function\": {\"name\": \"...\"}}, got '"
                        + choice.stringValue() + "'.");
            };
        }
        String name = choice.path("function").path("name").asString("");
        if (!choice.isObject() || !"function".equals(choice.path("type").asString("")) || name.isEmpty()) {
            throw OpenAiException.invalid("tool_choice", "tool_choice must be \"auto\", \"none\", \"required\" or "
                    + "{\"type\": \"function\", \"function\": {\"name\": \"...\"}}.");
        }
        return new ToolChoice.Named(name);
    }

    private static void refuseLegacy(String param, JsonNode value) {
        if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
            throw OpenAiException.invalid(param, param + " is OpenAI's deprecated form of function calling and is "
                    + "not supported; send the functions as tools ([{\"type\": \"function\", \"function\": {...}}]) "
                    + "and function_call as tool_choice.");
        }
    }
}
