package dev.hanul.inference;

import dev.hanul.engine.chat.ToolCallFormat;
import java.util.List;

/**
 * What a request's output must be, in no API's terms: OpenAI's {@code response_format}, vLLM's
 * {@code structured_outputs} / {@code guided_*} and TGI's {@code grammar} all come down to one of these, which
 * {@link RoutedModel#constrain} turns into the engine's constrained decoding.
 */
public sealed interface OutputConstraint {

    /** One JSON object, any members (OpenAI's json_object). */
    record JsonObject() implements OutputConstraint {
    }

    /** JSON valid against a JSON Schema, given as its text. */
    record JsonSchema(String schema) implements OutputConstraint {
    }

    /** Text a regular expression matches in full. */
    record Regex(String pattern) implements OutputConstraint {
    }

    /** Exactly one of the strings. */
    record Choice(List<String> choices) implements OutputConstraint {
        public Choice {
            choices = List.copyOf(choices);
        }
    }

    /**
     * Calls of the functions, written in the model's format, each call's arguments valid against its function's
     * parameters: what {@code tool_choice: required} or a named function asks for ({@link ChatTools#constraint}).
     */
    record ToolCalls(ToolCallFormat format, List<ChatTools.Function> functions, boolean parallel)
            implements OutputConstraint {
        public ToolCalls {
            functions = List.copyOf(functions);
        }
    }
}
