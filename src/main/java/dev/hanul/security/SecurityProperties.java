package dev.hanul.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hanul.security.*}: authentication, limits and the browser-facing rules.
 *
 * @param enabled        API keys are required (default). {@code false} opens every endpoint to anyone who reaches the
 *                       port, and the service says so loudly at start-up.
 * @param adminKey       an admin key taken from configuration (at least 32 characters) instead of the one printed
 *                       at the first start; it cannot be revoked through the API, only by changing the setting
 * @param limits         per-key rate limits and quotas for keys that set none of their own
 * @param maxRequestSize the largest request body accepted on any endpoint (413 beyond)
 * @param cors           which web origins may call the API from a browser
 * @param oidc           which claims of a company identity provider's JWTs name the role and the tenant; tokens are
 *                       accepted once {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or
 *                       {@code .jwk-set-uri} is set
 */
@ConfigurationProperties("hanul.security")
public record SecurityProperties(@DefaultValue("true") boolean enabled, String adminKey,
                                 @DefaultValue Limits limits,
                                 @DefaultValue("100MB") DataSize maxRequestSize,
                                 @DefaultValue Cors cors,
                                 @DefaultValue Oidc oidc) {

    /**
     * @param rolesClaim  the claim with the role: admin, user or read-only, as a string (several separated by spaces
     *                    or commas) or a list; the strongest one counts
     * @param tenantClaim the claim with the tenant the token is bound to; a token without it acts as a key without a
     *                    tenant
     */
    public record Oidc(@DefaultValue("roles") String rolesClaim, @DefaultValue("tenant") String tenantClaim) {
    }

    /**
     * @param requestsPerMinute requests per minute per key (0: no limit); admin keys have none unless set per key
     * @param tokensPerDay      prompt plus completion tokens per key and day (0: no quota)
     */
    public record Limits(@DefaultValue("600") int requestsPerMinute, @DefaultValue("0") long tokensPerDay) {
    }

    /**
     * @param allowedOrigins origins such as {@code https://hanul.example.com}; empty: no cross-origin calls
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }
}
