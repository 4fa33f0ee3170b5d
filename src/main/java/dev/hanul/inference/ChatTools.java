package dev.hanul.inference;

import dev.hanul.engine.chat.ToolCallFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The functions a chat request offers the model and how it may use them, as every API that has tools means them
 * (OpenAI's {@code tools}, {@code tool_choice}, {@code parallel_tool_calls}).
 *
 * @param functions the functions, in the request's order
 * @param choice    whether and which function must be called
 * @param parallel  whether one answer may hold several calls
 */
public record ChatTools(List<Function> functions, ToolChoice choice, boolean parallel) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One function.
     *
     * @param parameters its arguments' JSON Schema as a map (null: any object)
     */
    public record Function(String name, String description, Map<String, Object> parameters) {

        /** The parameters' schema as JSON text, for the constraint (null: any object). */
        public String parametersSchema() {
            return parameters == null ? null : JSON.writeValueAsString(parameters);
        }
    }

    /**
     * @throws InferenceFailure.Rejected when the choice cannot be met: a named function that is not among the tools,
     *                                   or a call required of no tools
     */
    public ChatTools {
        functions = List.copyOf(functions);
        List<Function> offered = functions;
        if (choice instanceof ToolChoice.Named(String name)
                && offered.stream().noneMatch(f -> f.name().equals(name))) {
            throw new InferenceFailure.Rejected(Parameter.TOOL_CHOICE, names -> ("%s names the function '%s', which "
                    + "is not among %s (%s); name one of them.").formatted(names.of(Parameter.TOOL_CHOICE), name,
                    names.of(Parameter.TOOLS), offered.stream().map(Function::name).toList()));
        }
        if (!(choice instanceof ToolChoice.Auto || choice instanceof ToolChoice.None) && functions.isEmpty()) {
            throw new InferenceFailure.Rejected(Parameter.TOOL_CHOICE, names -> ("%s asks for a function call, but "
                    + "%s offers no functions; send tools or set %s to \"auto\" or \"none\".").formatted(
                    names.of(Parameter.TOOL_CHOICE), names.of(Parameter.TOOLS), names.of(Parameter.TOOL_CHOICE)));
        }
    }

    /** Whether the model is shown the tools and its output searched for calls. */
    public boolean offered() {
        return !functions.isEmpty() && !(choice instanceof ToolChoice.None);
    }

    /** Whether the answer must be a call (tool_choice required, or a named function). */
    public boolean requiresCall() {
        return choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Named;
    }

    /** The tools as chat templates read them (OpenAI's shape), or null when none are offered. */
    public List<Map<String, Object>> templateTools() {
        if (!offered()) {
            return null;
        }
        return functions.stream().map(f -> {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", f.name());
            if (f.description() != null) {
                function.put("description", f.description());
            }
            function.put("parameters", f.parameters() == null ? Map.of("type", "object", "properties", Map.of())
                    : f.parameters());
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("function", function);
            return tool;
        }).toList();
    }

    /** The constraint that forces a valid call, for a required or named choice; null when the model decides. */
    public OutputConstraint constraint(ToolCallFormat format) {
        return switch (choice) {
            case ToolChoice.Required() -> new OutputConstraint.ToolCalls(format, functions, parallel);
            case ToolChoice.Named(String name) -> new OutputConstraint.ToolCalls(format,
                    functions.stream().filter(f -> f.name().equals(name)).toList(), false);
            case ToolChoice.Auto(), ToolChoice.None() -> null;
        };
    }
}
