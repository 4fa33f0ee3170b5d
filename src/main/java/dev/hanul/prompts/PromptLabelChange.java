package dev.hanul.prompts;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One move of a label: who, when, from where, to where. */
@Table
record PromptLabelChange(@Id String id, String name, String label, String fromTargets, String toTargets,
                         String changedBy, Instant changedAt) {
}
