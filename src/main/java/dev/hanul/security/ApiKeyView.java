package dev.hanul.security;

import java.time.Instant;

/** A key as listings show it: never the key itself nor its hash. */
public record ApiKeyView(String id, String prefix, String name, Role role, String tenant, Integer requestsPerMinute,
                         Long tokensPerDay, Instant createdAt, Instant revokedAt, KeyUsage usage) {

    static ApiKeyView of(ApiKey key, KeyUsage usage) {
        return new ApiKeyView(key.id(), key.prefix(), key.name(), key.role(), key.tenant(), key.requestsPerMinute(),
                key.tokensPerDay(), key.createdAt(), key.revokedAt(), usage);
    }
}
