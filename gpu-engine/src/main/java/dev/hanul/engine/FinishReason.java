package dev.hanul.engine;

/** Why a sample stopped. */
public enum FinishReason {
    /** A stop token (end of sequence or one of stop_token_ids) or a stop string. */
    STOP,
    /** max_tokens were generated. */
    LENGTH,
    /** The request was cancelled (also when its subscriber cancelled). */
    CANCELLED,
    /** The engine failed; the event's message says why. */
    ERROR
}
