package dev.hanul.chat;

import dev.hanul.api.Tenants;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/chat}: a grounded answer, streamed as server-sent events ({@code token}…, {@code citations},
 * {@code done}) or, with {@code "stream": false}, returned as one {@link ChatResponse} (Spring AI's stream() and
 * call()).
 */
@RestController
class ChatController {

    private final RagRequestChecker checker;
    private final ChatService chat;

    ChatController(RagRequestChecker checker, ChatService chat) {
        this.checker = checker;
        this.chat = chat;
    }

    @PostMapping("/api/chat")
    Mono<ResponseEntity<?>> chat(@RequestHeader(name = Tenants.HEADER, required = false) String header,
            @RequestBody ChatRequest request) {
        ChatInput input = checker.check(request.toRagRequest(Tenants.resolve(header, request.tenant())));
        return chat.prepare(input).map(prepared -> request.streaming()
                ? ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(chat.answer(prepared).map(ChatController::event))
                : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                        .body(chat.answer(prepared).collectList().map(ChatController::response)));
    }

    private static ServerSentEvent<ChatEvent> event(ChatEvent event) {
        String name = switch (event) {
            case ChatEvent.Token _ -> "token";
            case ChatEvent.Citations _ -> "citations";
            case ChatEvent.Done _ -> "done";
        };
        return ServerSentEvent.<ChatEvent>builder(event).event(name).build();
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
