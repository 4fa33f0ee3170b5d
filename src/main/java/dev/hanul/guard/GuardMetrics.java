package dev.hanul.guard;

import dev.hanul.monitoring.GuardrailDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code hanul_guardrail_decisions_total{stage, check, action, tenant}}: every decision a guardrail took. Stage,
 * check and action are closed sets; tenants are as many as the service has.
 */
@Component
class GuardMetrics {

    private final MeterRegistry registry;

    GuardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String tenant, GuardrailDecision decision) {
        Counter.builder("hanul.guardrail.decisions").description("Guardrail decisions by stage, check and action")
                .tag("stage", decision.stage()).tag("check", decision.check()).tag("action", decision.action())
                .tag("tenant", tenant).register(registry).increment();
    }
}
