package dev.hanul.guard;

/**
 * What a guardrail does when its check fires. Not every check can do every action: a question cannot be partly
 * redacted for injection, so {@link #REDACT} on the input injection check blocks too (see README, Guardrails).
 */
public enum GuardAction {
    /** Refuse the request (input), leave the chunk out of the prompt (context), or stop the answer (output). */
    BLOCK,
    /** Replace what was found: personal data by placeholders, instruction sentences of a chunk by a marker. */
    REDACT,
    /** Only record the decision with the interaction and count it. */
    FLAG,
    /** Do not run the check. */
    OFF
}
