package dev.hanul.security;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Mono;

/** The API key of the request being handled; empty when authentication is off or the endpoint is open. */
final class CurrentKey {

    private CurrentKey() {
    }

    static Mono<ApiKey> get() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(KeyAuthentication.class::isInstance)
                .map(authentication -> ((KeyAuthentication) authentication).getPrincipal());
    }
}
