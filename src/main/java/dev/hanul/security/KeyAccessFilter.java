package dev.hanul.security;

import dev.hanul.api.Tenants;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * After authentication: refuses what the key's role may not do ({@link KeyAccess}), and binds a tenant key to its
 * tenant. The {@code X-Tenant-Id} header (or a {@code tenant} query parameter) may only name the key's own tenant,
 * which the filter then sets as the header, so every endpoint that scopes by tenant ({@link Tenants}) sees the key's
 * tenant and nothing else: a body field or a {@code rag:<tenant>} model naming another tenant disagrees with the
 * header and is refused there. Admin keys and keys for every tenant keep choosing with the header.
 */
final class KeyAccessFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return CurrentKey.get()
                .map(key -> bind(key, exchange))
                .defaultIfEmpty(exchange)
                .flatMap(chain::filter);
    }

    private static ServerWebExchange bind(ApiKey key, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        KeyAccess.denial(key, request.getMethod(), path).ifPresent(reason -> {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, reason);
        });
        if (key.allTenants()) {
            return exchange;
        }
        check(key, request.getHeaders().getFirst(Tenants.HEADER), "the " + Tenants.HEADER + " header");
        check(key, request.getQueryParams().getFirst("tenant"), "the tenant parameter");
        return exchange.mutate().request(request.mutate()
                .headers(headers -> headers.set(Tenants.HEADER, key.tenant())).build()).build();
    }

    private static void check(ApiKey key, String named, String where) {
        if (named != null && !named.isBlank() && !named.strip().equals(key.tenant())) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "The API key " + key.prefix() + " acts for "
                    + "tenant '" + key.tenant() + "' only, and " + where + " names '" + named.strip() + "'. Leave it "
                    + "out or name the key's tenant; another tenant needs its own key.");
        }
    }
}
