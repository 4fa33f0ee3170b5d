package dev.hanul.inference;

/** Whether and which function the model must call (OpenAI's {@code tool_choice}). */
public sealed interface ToolChoice {

    /** The model decides: its output is searched for calls. */
    record Auto() implements ToolChoice {
    }

    /** No calls: the tools are not shown to the model and its output is text. */
    record None() implements ToolChoice {
    }

    /** At least one call of any of the tools, enforced by constrained decoding. */
    record Required() implements ToolChoice {
    }

    /** A call of this function, enforced by constrained decoding. */
    record Named(String name) implements ToolChoice {
    }
}
