package dev.hanul.guard;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Guardrails on input, retrieved context and output, under {@code hanul.guardrails.}.
 *
 * @param enabled   false turns every guardrail off (nothing is checked, redacted or recorded)
 * @param policy    the default action of each guardrail
 * @param tenants   per-tenant policies, by tenant id; a tenant listed here gets its policy instead of the default
 * @param injection the prompt-injection detector
 * @param toxicity  the toxicity classifier
 * @param preload   true: the classifiers load in the background once the service is ready; false: on first use,
 *                  which the first request then waits for on a server thread (for tests that never send one)
 */
@ConfigurationProperties("hanul.guardrails")
public record GuardrailProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue GuardPolicy policy,
        Map<String, GuardPolicy> tenants,
        @DefaultValue Injection injection,
        @DefaultValue Toxicity toxicity,
        @DefaultValue("true") boolean preload) {

    public GuardrailProperties {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /** The policy for a tenant: its own, else the default; everything off when guardrails are disabled. */
    public GuardPolicy policyFor(String tenant) {
        if (!enabled) {
            return GuardPolicy.off();
        }
        return tenant == null ? policy : tenants.getOrDefault(tenant, policy);
    }

    /**
     * @param model               the directory of jailguard's MLP ({@code neural_binary_200k.json}, from the crates.io
     *                            package jailguard 0.1.2); when it is missing, only similarity to known attacks runs
     *                            (logged at start)
     * @param threshold           the MLP's probability at or above which a text is an attack
     * @param similarityThreshold the cosine to the nearest known attack ({@code monitoring/jailbreak-examples.txt} and
     *                            {@code guard/injection-examples.txt}) at or above which a text is an attack
     */
    public record Injection(
            @DefaultValue("models/offline/jailguard") String model,
            @DefaultValue("0.8") double threshold,
            @DefaultValue("0.65") double similarityThreshold) {
    }

    /**
     * @param model     the BiLSTM of the PyPI package toxic-comment-classifier 0.3.0, exported to JSON (see README,
     *                  Guardrails); when it is missing, the toxicity guardrail is off (logged at start)
     * @param threshold the highest of the six label probabilities at or above which an answer is toxic
     * @param every     characters of answer between two checks while it streams (and once at its end)
     */
    public record Toxicity(
            @DefaultValue("models/offline/toxic-bilstm.json") String model,
            @DefaultValue("0.5") double threshold,
            @DefaultValue("200") int every) {
    }
}
