package dev.hanul.security;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Bearer tokens from a company's identity provider, next to API keys: a JWT is checked by Spring Security's decoder
 * (signature against the provider's JWK set, issuer, expiry, audience: {@code spring.security.oauth2.resourceserver.
 * jwt.*}) and becomes a key for this request only, with the role and tenant its claims name
 * ({@code hanul.security.oidc.*}). It then passes the same rules as a key: roles, tenant binding, rate limits.
 */
final class JwtKeys {

    /** What a tenant name may be (as {@code X-Tenant-Id}). */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ReactiveJwtDecoder decoder;
    private final SecurityProperties.Oidc claims;

    JwtKeys(ReactiveJwtDecoder decoder, SecurityProperties.Oidc claims) {
        this.decoder = decoder;
        this.claims = claims;
    }

    /** A JWT is three base64url parts; a Hanul key never has a dot. */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2 && !token.startsWith(ApiKeySecrets.PREFIX);
    }

    Mono<Authentication> authenticate(String token) {
        return decoder.decode(token)
                .onErrorMap(JwtException.class, e -> new BadCredentialsException("The token is not valid: "
                        + e.getMessage() + ". Send a current token from the identity provider, or an API key."))
                .map(jwt -> new KeyAuthentication(key(jwt)));
    }

    private ApiKey key(Jwt jwt) {
        Role role = role(jwt).orElseThrow(() -> new BadCredentialsException(("The token names no Hanul role in its "
                + "claim '%s' (admin, user or read-only); ask the identity provider's administrator to add one "
                + "(hanul.security.oidc.roles-claim names the claim).").formatted(claims.rolesClaim())));
        String tenant = jwt.getClaimAsString(claims.tenantClaim());
        if (tenant != null && !TENANT.matcher(tenant).matches()) {
            throw new BadCredentialsException(("The token's tenant claim '%s' is not a tenant name (1-64 letters, "
                    + "digits, '.', '_' or '-').").formatted(claims.tenantClaim()));
        }
        String subject = jwt.getSubject() == null ? "unknown" : jwt.getSubject();
        Instant issued = jwt.getIssuedAt() == null ? Instant.EPOCH : jwt.getIssuedAt();
        // "jwt:" keeps these ids apart from stored keys' ids (letters and digits only) in limits and logs
        return new ApiKey("jwt:" + jwt.getIssuer() + "#" + subject, subject, role, tenant, "", null, null, issued,
                null);
    }

    /** The strongest known role the claim holds, as a string or a list; unknown values are ignored. */
    private Optional<Role> role(Jwt jwt) {
        Object value = jwt.getClaim(claims.rolesClaim());
        Collection<?> values = value instanceof Collection<?> list ? list
                : value instanceof String text ? Arrays.asList(text.split("[ ,]+")) : List.of();
        return values.stream().map(String::valueOf).map(name -> name.strip().toLowerCase(Locale.ROOT))
                .flatMap(name -> Arrays.stream(Role.values()).filter(role -> role.wireName().equals(name)))
                .min(Enum::compareTo);
    }
}
