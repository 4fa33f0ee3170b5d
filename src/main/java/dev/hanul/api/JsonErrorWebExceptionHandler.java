package dev.hanul.api;

import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webflux.autoconfigure.error.AbstractErrorWebExceptionHandler;
import org.springframework.boot.webflux.error.ErrorAttributes;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Renders every error as an {@link ApiError} JSON body, whatever the client accepts: clients of this service are
 * programs, and a browser shows JSON well enough. It replaces Spring Boot's default handler, keeping its logging of
 * server errors and its handling of disconnected clients and committed responses.
 */
@Component
@Order(-1)
class JsonErrorWebExceptionHandler extends AbstractErrorWebExceptionHandler {

    JsonErrorWebExceptionHandler(ErrorAttributes errorAttributes, WebProperties webProperties,
            ApplicationContext applicationContext, ServerCodecConfigurer codecs) {
        super(errorAttributes, webProperties.getResources(), applicationContext);
        setMessageReaders(codecs.getReaders());
        setMessageWriters(codecs.getWriters());
    }

    @Override
    protected RouterFunction<ServerResponse> getRoutingFunction(ErrorAttributes errorAttributes) {
        return RouterFunctions.route(RequestPredicates.all(), this::render);
    }

    private Mono<ServerResponse> render(ServerRequest request) {
        Throwable failure = getError(request);
        ApiError body = ApiError.of(failure, request);
        return ServerResponse.status(body.status()).headers(headers -> RetryAfter.set(headers, failure))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
