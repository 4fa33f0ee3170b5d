package dev.hanul.monitoring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guardrail decisions of one request, collected while it runs: input and context decisions before generation,
 * output decisions while the answer streams. The interaction log reads them when it writes the record, after the
 * stream ended. Thread-safe.
 */
public final class GuardrailRecord {

    private final List<GuardrailDecision> decisions = new CopyOnWriteArrayList<>();

    public void add(GuardrailDecision decision) {
        decisions.add(decision);
    }

    public List<GuardrailDecision> decisions() {
        return List.copyOf(decisions);
    }
}
