package dev.hanul.chat;

import dev.hanul.api.Tenants;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code /api/conversations}: list the tenant's conversations, see or clear one, or take its last turn back.
 */
@RestController
class ConversationController {

    private final ConversationStore conversations;

    ConversationController(ConversationStore conversations) {
        this.conversations = conversations;
    }

    @GetMapping("/api/conversations")
    Mono<List<ConversationSummary>> list(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "limit must be between 1 and 500, got " + limit + "."));
        }
        return conversations.list(Tenants.resolve(header, null), limit).collectList();
    }

    /** Regenerate: the last question and answer come off, and the client asks the question again. */
    @DeleteMapping("/api/conversations/{id}/last-turn")
    Mono<RemovedTurn> removeLastTurn(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @PathVariable String id) {
        String tenant = Tenants.resolve(header, null);
        return conversations.removeLastTurn(tenant, id).switchIfEmpty(Mono.error(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "Conversation '" + id + "' of tenant '" + tenant + "' does not exist or does "
                        + "not end with an answer; there is no last turn to take back.")));
    }

    @GetMapping("/api/conversations/{id}")
    Mono<ConversationView> get(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @PathVariable String id) {
        String tenant = Tenants.resolve(header, null);
        return conversations.find(tenant, id).switchIfEmpty(Mono.error(() -> notFound(tenant, id)));
    }

    @DeleteMapping("/api/conversations/{id}")
    Mono<ResponseEntity<Void>> delete(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @PathVariable String id) {
        String tenant = Tenants.resolve(header, null);
        return conversations.delete(tenant, id).flatMap(deleted -> deleted
                ? Mono.just(ResponseEntity.noContent().<Void>build())
                : Mono.error(notFound(tenant, id)));
    }

    private static ResponseStatusException notFound(String tenant, String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "Conversation '" + id + "' does not exist for "
                + "tenant '" + tenant + "'; it is created by the first POST /api/chat answer that names it.");
    }
}
