package dev.hanul.openai;

import dev.hanul.api.RetryAfter;
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
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Renders errors under {@code /v1} as {@link OpenAiError}s, the shape OpenAI clients parse, malformed JSON and unknown
 * paths included. It runs before the service's own JSON error handler and passes every other path on to it.
 */
@Component
@Order(-2)
class OpenAiErrorWebExceptionHandler extends AbstractErrorWebExceptionHandler {

    OpenAiErrorWebExceptionHandler(ErrorAttributes errorAttributes, WebProperties webProperties,
            ApplicationContext applicationContext, ServerCodecConfigurer codecs) {
        super(errorAttributes, webProperties.getResources(), applicationContext);
        setMessageReaders(codecs.getReaders());
        setMessageWriters(codecs.getWriters());
    }

    static boolean isOpenAiPath(String path) {
        // vLLM serves /tokenize and /detokenize beside /v1, with the same error objects.
        return path.equals("/v1") || path.startsWith("/v1/") || path.equals("/tokenize") || path.equals("/detokenize");
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable throwable) {
        if (!isOpenAiPath(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return Mono.error(throwable);
        }
        return super.handle(exchange, throwable);
    }

    @Override
    protected RouterFunction<ServerResponse> getRoutingFunction(ErrorAttributes errorAttributes) {
        return RouterFunctions.route(RequestPredicates.all(), this::render);
    }

    private Mono<ServerResponse> render(ServerRequest request) {
        Throwable failure = getError(request);
        OpenAiError.Rendered error = OpenAiError.of(failure, request);
        return ServerResponse.status(error.status()).headers(headers -> RetryAfter.set(headers, failure))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(error.body());
    }
}
