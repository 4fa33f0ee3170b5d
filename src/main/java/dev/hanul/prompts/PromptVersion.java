package dev.hanul.prompts;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One immutable version of a prompt template, as stored. */
@Table
record PromptVersion(@Id String id, String name, int version, String text, String systemText, String message,
                     String createdBy, Instant createdAt) {

    static String id(String name, int version) {
        return name + "@" + version;
    }
}
