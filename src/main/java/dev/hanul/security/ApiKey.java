package dev.hanul.security;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A stored API key: everything but the key itself, of which only a SHA-256 hash is kept.
 *
 * @param id                the public part of the key ({@code hanul_<id>_<secret>}), shown in listings as its prefix
 * @param tenant            the only tenant the key may act for; null for every tenant (admin keys always)
 * @param requestsPerMinute this key's limit, or null for hanul.security.limits.requests-per-minute (0: none)
 * @param tokensPerDay      this key's quota of prompt plus completion tokens, or null for the default (0: none)
 * @param revokedAt         when the key stopped working; null while it works
 */
@Table
public record ApiKey(@Id String id, String name, Role role, String tenant, String secretHash,
                     Integer requestsPerMinute, Long tokensPerDay, Instant createdAt, Instant revokedAt) {

    /** The part of the key that may be shown and logged: enough to tell keys apart, useless to authenticate. */
    public String prefix() {
        return ApiKeySecrets.PREFIX + id;
    }

    public boolean allTenants() {
        return tenant == null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
