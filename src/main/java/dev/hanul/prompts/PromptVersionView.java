package dev.hanul.prompts;

import java.time.Instant;

/** One version with its text, as the API shows it. */
record PromptVersionView(String name, int version, String text, String system, String message, String createdBy,
                         Instant createdAt) {

    static PromptVersionView of(PromptVersion v) {
        return new PromptVersionView(v.name(), v.version(), v.text(), v.systemText(), v.message(), v.createdBy(),
                v.createdAt());
    }
}
