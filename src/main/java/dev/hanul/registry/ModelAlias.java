package dev.hanul.registry;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** An alias as stored: its targets in {@link Alias#targetsText()}'s form and its shadow. */
@Table
record ModelAlias(@Id String name, String targets, String shadow, String updatedBy, Instant updatedAt) {
}
