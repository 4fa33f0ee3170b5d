package dev.hanul.security;

/**
 * What a key has used: since the service started with the embedded database (kept in memory), since the key was
 * made with PostgreSQL (kept there, counted by every replica).
 *
 * @param requests               requests let through
 * @param rejected               requests refused with 429
 * @param promptTokens           prompt tokens of its generations
 * @param completionTokens       generated tokens
 * @param requestsLeftThisMinute what the request limit still allows now; null without a limit
 * @param tokensLeftToday        what the token quota still allows (negative once a generation overran it); null
 *                               without a quota
 */
public record KeyUsage(long requests, long rejected, long promptTokens, long completionTokens,
                       Long requestsLeftThisMinute, Long tokensLeftToday) {

    static final KeyUsage NONE = new KeyUsage(0, 0, 0, 0, null, null);
}
