package dev.hanul.monitoring;

import dev.hanul.api.Tenants;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The interaction log over HTTP, scoped to the caller's tenant ({@code X-Tenant-Id}): list with filters and paging,
 * one record, JSONL export, feedback (by the record's id, which is the OpenAI response id for {@code /v1} requests),
 * and deleting a tenant's whole log.
 */
@RestController
class InteractionController {

    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_COMMENT = 4000;

    private final InteractionStore store;
    private final JsonMapper json;
    private final MeterRegistry registry;

    InteractionController(InteractionStore store, JsonMapper json, MeterRegistry registry) {
        this.store = store;
        this.json = json;
        this.registry = registry;
    }

    @GetMapping("/api/interactions")
    Mono<InteractionView.Page> list(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String api, @RequestParam(required = false) String model,
            @RequestParam(required = false) String finishReason, @RequestParam(required = false) String rating,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "page must be 0 or more and size between 1 "
                    + "and " + MAX_PAGE_SIZE + ", got page " + page + ", size " + size + ".");
        }
        return store.page(InteractionFilter.of(Tenants.resolve(header, null), api, model, finishReason, rating, from,
                to), page, size);
    }

    /** The matching records, oldest first, one JSON object a line. */
    @GetMapping(path = "/api/interactions/export", produces = "application/x-ndjson")
    Flux<String> export(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(required = false) String api, @RequestParam(required = false) String model,
            @RequestParam(required = false) String finishReason, @RequestParam(required = false) String rating,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        InteractionFilter filter = InteractionFilter.of(Tenants.resolve(header, null), api, model, finishReason,
                rating, from, to);
        return store.all(filter).map(view -> json.writeValueAsString(view) + "\n");
    }

    @GetMapping("/api/interactions/{id}")
    Mono<InteractionView> get(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @PathVariable String id) {
        String tenant = Tenants.resolve(header, null);
        return store.find(tenant, id).switchIfEmpty(Mono.error(() -> notFound(tenant, id)));
    }

    @PostMapping(path = "/api/interactions/{id}/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<InteractionView> feedback(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @PathVariable String id, @RequestBody FeedbackRequest body) {
        String tenant = Tenants.resolve(header, null);
        if (body.rating() == null || !(body.rating().equals("up") || body.rating().equals("down"))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "rating must be \"up\" or \"down\", got "
                    + (body.rating() == null ? "nothing" : "'" + body.rating() + "'") + ".");
        }
        if (body.comment() != null && body.comment().length() > MAX_COMMENT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "comment is " + body.comment().length()
                    + " characters; at most " + MAX_COMMENT + " are kept. Shorten it.");
        }
        return store.feedback(tenant, id, body.rating(), body.comment(), Instant.now())
                .flatMap(found -> found ? store.find(tenant, id) : Mono.error(notFound(tenant, id)))
                .doOnNext(view -> Counter.builder("hanul.feedback").tag("model_version", view.modelVersion())
                        .tag("api", view.api()).tag("rating", body.rating())
                        .description("Feedback given on answers, by rating").register(registry).increment());
    }

    /** Deletes the tenant's whole log (as when the tenant is removed). */
    @DeleteMapping("/api/interactions")
    Mono<ResponseEntity<Void>> deleteAll(@RequestHeader(name = Tenants.HEADER, required = false) String header) {
        return store.deleteTenant(Tenants.resolve(header, null)).thenReturn(ResponseEntity.noContent().build());
    }

    private static ResponseStatusException notFound(String tenant, String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Interaction '" + id + "' does not exist for tenant '"
                + tenant + "'. Records are written a moment after the answer ends, are kept for "
                + "hanul.monitoring.interactions.retention, and are only visible to their tenant (X-Tenant-Id).");
    }
}
