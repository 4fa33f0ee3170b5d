package dev.hanul.security;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One limit on request bodies for every endpoint ({@code hanul.security.max-request-size}): a declared
 * Content-Length above it is a 413 before anything is read, and a chunked body is cut off with a 413 once it passes
 * the limit, so no endpoint can be made to buffer or spool more than that. It applies with authentication off too.
 * Uploads ({@code /api/ingest}) are left to their own, usually tighter limit (hanul.ingest.max-request-size).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestSizeLimit implements WebFilter {

    /** Paths that enforce a limit of their own, with a message that names it. */
    private static final String OWN_LIMIT = "/api/ingest";

    private final long maxBytes;

    RequestSizeLimit(SecurityProperties properties) {
        this.maxBytes = properties.maxRequestSize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getPath().pathWithinApplication().value().startsWith(OWN_LIMIT)) {
            return chain.filter(exchange); // uploads have their own limit, hanul.ingest.max-request-size
        }
        long declared = request.getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(declared + " bytes"));
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().handle((buffer, sink) -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
                        sink.error(tooLarge("more than " + maxBytes + " bytes"));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private ResponseStatusException tooLarge(String size) {
        return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The request body (" + size + ") is larger "
                + "than the limit of " + maxBytes + " bytes (hanul.security.max-request-size). Send less per request, "
                + "for example fewer files per upload.");
    }
}
