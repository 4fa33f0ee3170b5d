package dev.hanul.prompts;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** Where a label points, as stored: {@code targets} in {@link LabelTargets}' text form. */
@Table
record PromptLabel(@Id String id, String name, String label, String targets, String updatedBy, Instant updatedAt) {

    static String id(String name, String label) {
        return name + "@" + label;
    }
}
