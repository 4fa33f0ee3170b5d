package dev.hanul.chat;

import dev.hanul.api.Tenants;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/** {@code GET} and {@code DELETE /api/conversations/{id}}: see or clear a conversation the server keeps. */
@RestController
class ConversationController {

    private final ConversationStore conversations;

    ConversationController(ConversationStore conversations) {
        this.conversations = conversations;
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
