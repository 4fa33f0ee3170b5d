package dev.hanul.engine.generate;

/** Why a generation ended, in the words of the OpenAI API. */
public enum FinishReason {
    /** A stop token or stop string was produced. */
    STOP,
    /** max_tokens or the model's context was reached. */
    LENGTH
}
