package dev.hanul.chat;

import dev.hanul.api.ApiError;
import dev.hanul.api.Tenants;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/chat}: a grounded answer, streamed as server-sent events ({@code token}…, {@code citations},
 * {@code done}; {@code error} with an {@link ApiError} body when it fails after the stream began) or, with {@code "stream": false}, returned as one {@link ChatResponse} (Spring AI's stream() and
 * call()).
 */
@RestController
class ChatController {

    private static final Logger log = LoggerFactory.getLogger(ChatController.class);

    private final RagRequestChecker checker;
    private final ChatService chat;

    ChatController(RagRequestChecker checker, ChatService chat) {
        this.checker = checker;
        this.chat = chat;
    }

    @PostMapping("/api/chat")
    Mono<ResponseEntity<?>> chat(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestBody ChatRequest request, ServerWebExchange exchange) {
        ChatInput input = checker.check(request.toRagRequest(Tenants.resolve(header, request.tenant())));
        return chat.prepare(input).map(prepared -> request.streaming()
                ? ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(endingInErrorEvent(chat.answer(prepared).map(ChatController::event), exchange))
                : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(chat.answer(prepared).collectList().map(ChatController::response)));
    }

    private static ServerSentEvent<Object> event(ChatEvent event) {
        String name = switch (event) {
            case ChatEvent.Token _ -> "token";
            case ChatEvent.Citations _ -> "citations";
            case ChatEvent.Done _ -> "done";
        };
        return ServerSentEvent.<Object>builder(event).event(name).build();
    }

    /**
     * A failure after the stream has begun (a guardrail stopping the answer, the engine failing) can no longer change
     * the status: it becomes a last {@code error} event with the body a failed request would have had. A failure
     * before the first event, while the response is not committed, still gets its own status (a refused request is a
     * 400, not an event).
     */
    static Flux<ServerSentEvent<Object>> endingInErrorEvent(Flux<ServerSentEvent<Object>> events,
            ServerWebExchange exchange) {
        return events.switchOnFirst((first, all) -> first.hasValue() || exchange.getResponse().isCommitted()
                ? all.onErrorResume(failure -> Flux.just(error(failure, exchange)))
                : all);
    }

    private static ServerSentEvent<Object> error(Throwable failure, ServerWebExchange exchange) {
        ApiError body = ApiError.of(failure, exchange);
        if (body.status() >= 500) {
            log.warn("A streamed chat answer failed after its first event: {}", failure.toString(), failure);
        }
        return ServerSentEvent.<Object>builder(body).event("error").build();
    }

    private static ChatResponse response(List<ChatEvent> events) {
        var answer = new StringBuilder();
        List<Citation> citations = new ArrayList<>();
        ChatEvent.Done done = null;
        for (ChatEvent event : events) {
            switch (event) {
                case ChatEvent.Token token -> answer.append(token.text());
                case ChatEvent.Citations found -> citations.addAll(found.citations());
                case ChatEvent.Done last -> done = last;
            }
        }
        return new ChatResponse(done.conversationId(), done.model(), answer.toString(), citations,
                done.finishReason(), done.usage(), done.timings(), done.template(), done.interactionId());
    }
}
