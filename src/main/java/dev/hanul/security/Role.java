package dev.hanul.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a key may do. {@link #ADMIN} manages keys and may act for every tenant; {@link #USER} reads, writes and
 * generates within its tenant; {@link #READ_ONLY} reads and searches within its tenant, nothing that changes data or
 * costs generation. See {@link KeyAccess} for the exact rules.
 */
public enum Role {
    ADMIN, USER, READ_ONLY;

    /** The name in the API and on the command line: admin, user, read-only. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Role of(String name) {
        String normalized = name == null ? "" : name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(role -> role.name().equals(normalized)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("role '" + name + "' is not known; use one of "
                        + Arrays.stream(values()).map(Role::wireName).toList() + "."));
    }
}
