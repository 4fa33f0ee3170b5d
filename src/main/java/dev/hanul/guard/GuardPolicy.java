package dev.hanul.guard;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The action of each guardrail, for one tenant or as the default.
 *
 * @param input    prompt injection and jailbreaks in the user's own text
 * @param context  instructions hidden in retrieved chunks (indirect injection)
 * @param pii      personal data in prompts, answers and the interaction log (REDACT: reversible placeholders)
 * @param toxicity toxic language in answers
 */
public record GuardPolicy(
        @DefaultValue("BLOCK") GuardAction input,
        @DefaultValue("BLOCK") GuardAction context,
        @DefaultValue("REDACT") GuardAction pii,
        @DefaultValue("FLAG") GuardAction toxicity) {

    public static GuardPolicy defaults() {
        return new GuardPolicy(GuardAction.BLOCK, GuardAction.BLOCK, GuardAction.REDACT, GuardAction.FLAG);
    }

    public static GuardPolicy off() {
        return new GuardPolicy(GuardAction.OFF, GuardAction.OFF, GuardAction.OFF, GuardAction.OFF);
    }
}
