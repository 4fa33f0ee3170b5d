package dev.hanul.security;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/admin/keys}: create (the key is in the answer, once), list, show and revoke API keys, each with its
 * usage; {@code /api/keys/self}: the calling key's own details and usage.
 */
@RestController
class ApiKeyController {

    private final ApiKeyStore store;
    private final RateLimits limits;

    ApiKeyController(ApiKeyStore store, RateLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    @PostMapping("/api/admin/keys")
    Mono<ResponseEntity<CreatedApiKey>> create(@RequestBody(required = false) NewApiKey request) {
        return store.create(request).flatMap(created -> view(created.key())
                .map(view -> ResponseEntity.status(HttpStatus.CREATED).body(new CreatedApiKey(created.secret(), view))));
    }

    @GetMapping("/api/admin/keys")
    Flux<ApiKeyView> list() {
        return store.list().concatMap(this::view);
    }

    @GetMapping("/api/admin/keys/{id}")
    Mono<ApiKeyView> get(@PathVariable String id) {
        return store.find(id).flatMap(this::view);
    }

    /** Revokes at once: the key's next request is a 401. The row stays, so listings show when it was revoked. */
    @DeleteMapping("/api/admin/keys/{id}")
    Mono<ApiKeyView> revoke(@PathVariable String id) {
        return store.revoke(id).flatMap(this::view);
    }

    @GetMapping("/api/keys/self")
    Mono<ApiKeyView> self() {
        return CurrentKey.get().flatMap(this::view).switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "This request carries no API key (authentication is off, "
                + "hanul.security.enabled=false), so there is no key to describe.")));
    }

    private Mono<ApiKeyView> view(ApiKey key) {
        return limits.usageOf(key).map(usage -> ApiKeyView.of(key, usage));
    }
}
