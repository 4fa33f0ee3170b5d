package dev.hanul.monitoring;

/**
 * Records a request that a guardrail refused before it reached a model, so that the refusal is in the interaction
 * log with its decisions like every answered request (finish reason {@code blocked}, no answer, no tokens).
 */
public interface RefusalLog {

    /**
     * @param requested the model name the request used
     * @param version   the version it was routed to
     */
    void refused(String id, InteractionNote note, String requested, String version);
}
