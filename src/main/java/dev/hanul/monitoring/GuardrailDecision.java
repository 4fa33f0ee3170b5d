package dev.hanul.monitoring;

/**
 * What one guardrail decided about one request, as the interaction log records it.
 *
 * @param stage  input (the user's text), context (retrieved chunks) or output (the answer)
 * @param check  injection, pii or toxicity
 * @param action what was done: block, redact or flag
 * @param score  the detector's score (a probability or cosine; for pii the number of values found)
 * @param detail what it was about, without the text itself (a chunk id, the kinds of personal data)
 */
public record GuardrailDecision(String stage, String check, String action, double score, String detail) {
}
