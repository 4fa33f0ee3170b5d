package dev.hanul.security;

/**
 * The body of {@code POST /api/admin/keys}.
 *
 * @param name              what the key is for (1 to 128 characters), shown in listings
 * @param role              admin, user or read-only
 * @param tenant            the tenant a user or read-only key acts for; leave out for every tenant (admin keys must)
 * @param requestsPerMinute optional limit for this key (0: none)
 * @param tokensPerDay      optional quota for this key (0: none)
 */
public record NewApiKey(String name, String role, String tenant, Integer requestsPerMinute, Long tokensPerDay) {
}
