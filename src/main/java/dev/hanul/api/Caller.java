package dev.hanul.api;

import java.security.Principal;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Who makes a change, for the records that say who did what. */
public final class Caller {

    private Caller() {
    }

    /** The authenticated caller's name (an API key's), or "anonymous" where the service runs without auth. */
    public static Mono<String> name(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous");
    }
}
