package dev.hanul.openai;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server-sent events of a streaming response, as OpenAI and vLLM write them: {@code data: <chunk JSON>} per
 * chunk, then {@code data: [DONE]}. A failure after the stream has begun cannot change the status any more, so it
 * becomes an {@code {"error": ...}} event before {@code [DONE]}, as in vLLM.
 *
 * <p>No operator here prefetches: a client that disconnects cancels the chunks' source, and with it the generation.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private EventStream() {
    }

    static Flux<ServerSentEvent<String>> of(Flux<?> chunks, JsonMapper json, OpenAiParameters names) {
        return chunks.map(chunk -> event(json.writeValueAsString(chunk)))
                .onErrorResume(failure -> Flux.just(event(json.writeValueAsString(error(failure, names)))))
                .concatWith(Flux.just(event("[DONE]")));
    }

    /** Spring writes {@code data:} without a space; the space is the separator SSE allows and clients expect. */
    private static ServerSentEvent<String> event(String data) {
        return ServerSentEvent.builder(" " + data).build();
    }

    private static OpenAiError error(Throwable failure, OpenAiParameters names) {
        log.warn("A streaming completion failed after its first event: {}", failure.toString(), failure);
        return OpenAiError.of(failure, names).body();
    }
}
