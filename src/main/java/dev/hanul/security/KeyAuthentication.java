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
}
