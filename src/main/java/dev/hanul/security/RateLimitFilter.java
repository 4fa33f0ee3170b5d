package dev.hanul.security;

import dev.hanul.inference.UsageMeter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Admits a keyed request only within its key's limits ({@link RateLimits}), else a 429 with Retry-After, and charges
 * the request's generations to the key through the inference façade's {@link UsageMeter}.
 */
final class RateLimitFilter implements WebFilter {

    private final RateLimits limits;

    RateLimitFilter(RateLimits limits) {
        this.limits = limits;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return CurrentKey.get()
                .flatMap(key -> limits.admitting(key).flatMap(admission -> switch (admission) {
                    case RateLimits.Admission.Refused refused -> {
                        // Whole seconds, at least 1, as every other Retry-After of the service.
                        long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
                        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                        yield Mono.<Boolean>error(new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS,
                                refused.reason()));
                    }
                    case RateLimits.Admission.Admitted _ -> chain.filter(exchange)
                            .contextWrite(context -> context.put(UsageMeter.class,
                                    (UsageMeter) (prompt, completion) -> limits.charge(key, prompt, completion)))
                            .thenReturn(true);
                }))
                .switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
                .then();
    }
}
