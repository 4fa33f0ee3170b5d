package dev.hanul.registry;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One change to the registry: who made it, when, to what, and what it was before.
 *
 * @param seq     orders changes made within the same clock tick
 * @param subject the alias's name or the version's id
 */
@Table
public record RegistryChange(@Id String id, long seq, Instant changedAt, String actor, Action action,
                             String subject, String fromValue, String toValue) {

    public enum Action {
        REGISTER, LOAD, UNLOAD, ALIAS_CREATE, ALIAS_MOVE, ALIAS_SPLIT, ALIAS_ROLLBACK, SHADOW_SET, SHADOW_CLEAR;

        /** Changes of an alias's targets: what a rollback undoes. */
        boolean movesAlias() {
            return this == ALIAS_CREATE || this == ALIAS_MOVE || this == ALIAS_SPLIT || this == ALIAS_ROLLBACK;
        }
    }
}
