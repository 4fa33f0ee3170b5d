package dev.hanul.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API key; the principal is the key (never its secret). */
final class KeyAuthentication extends AbstractAuthenticationToken {

    private final ApiKey key;

    KeyAuthentication(ApiKey key) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + key.role().name())));
        this.key = key;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public ApiKey getPrincipal() {
        return key;
    }

    /**
     * The key's name: what the records of who did what store ({@code created_by}, a change's actor). Without this
     * the name would be the principal's {@code toString()}, the whole key record with its secret's hash.
     */
    @Override
    public String getName() {
        return key.name();
    }
}
