package dev.hanul.security;

import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads {@code Authorization: Bearer <key>} (what OpenAI clients send with their api_key) and checks the key against
 * the store, or against {@code hanul.security.admin-key}. A request without the header goes on unauthenticated (open
 * endpoints answer it, the others with 401); a header with a wrong, unknown or revoked key is a 401 at once.
 */
final class BearerKeyAuthenticator implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

    static final String CONFIGURED_ADMIN_ID = "config";
    private static final String BEARER = "bearer ";

    private final ApiKeyStore store;
    private final String configuredAdminHash;
    /** Null when no identity provider is configured: then a JWT is an unknown key like any other. */
    private final JwtKeys jwtKeys;

    BearerKeyAuthenticator(ApiKeyStore store, String configuredAdminKey) {
        this(store, configuredAdminKey, null);
    }

    BearerKeyAuthenticator(ApiKeyStore store, String configuredAdminKey, JwtKeys jwtKeys) {
        this.store = store;
        this.jwtKeys = jwtKeys;
        this.configuredAdminHash = configuredAdminKey == null || configuredAdminKey.isBlank() ? null
                : ApiKeySecrets.hash(configuredAdminKey.strip());
    }

    /** The key that stands for {@code hanul.security.admin-key}. */
    static ApiKey configuredAdmin() {
        return new ApiKey(CONFIGURED_ADMIN_ID, "hanul.security.admin-key", Role.ADMIN, null, "", null, null,
                Instant.EPOCH, null);
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Mono.empty();
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
            return Mono.error(new BadCredentialsException("The Authorization header must be 'Bearer <API key>'."));
        }
        String key = header.substring(BEARER.length()).strip();
        return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated(key, key));
    }

    @Override
    public Mono<Authentication> authenticate(Authentication presented) {
        String key = (String) presented.getCredentials();
        if (jwtKeys != null && JwtKeys.looksLikeJwt(key)) {
            return jwtKeys.authenticate(key);
        }
        if (configuredAdminHash != null && ApiKeySecrets.matches(key, configuredAdminHash)) {
            return Mono.just(new KeyAuthentication(configuredAdmin()));
        }
        return store.authenticate(key)
                .<Authentication>map(KeyAuthentication::new)
                .switchIfEmpty(Mono.error(() -> new BadCredentialsException("The API key is not valid: it is unknown, "
                        + "revoked or mistyped. Send a current key as 'Authorization: Bearer <key>'; an admin lists "
                        + "keys with GET /api/admin/keys.")));
    }
}
