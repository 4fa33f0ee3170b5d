package dev.hanul.api;

import dev.hanul.inference.InferenceFailure;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The JSON body of every error the service answers with.
 *
 * <p>Endpoints report a problem by throwing {@link ResponseStatusException} (or another {@link ErrorResponse}) with a
 * reason that says what is wrong and how to fix it; that reason becomes {@code message}. Anything else is a bug and
 * becomes a 500 whose message points to the server log instead of exposing internals.
 *
 * @param status  the HTTP status code
 * @param error   the status's reason phrase
 * @param message what is wrong and how to fix it
 * @param path    the request path
 */
public record ApiError(int status, String error, String message, String path) {

    public static ApiError of(Throwable failure, ServerRequest request) {
        return of(failure, request.exchange());
    }

    public static ApiError of(Throwable failure, ServerWebExchange exchange) {
        HttpStatusCode code = switch (failure) {
            case InferenceFailure f -> status(f);
            case ErrorResponse response -> response.getStatusCode();
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        HttpStatus status = HttpStatus.resolve(code.value());
        String error = status != null ? status.getReasonPhrase() : "Error " + code.value();
        String path = exchange.getRequest().getPath().value();
        return new ApiError(code.value(), error, message(failure, exchange, path), path);
    }

    private static String message(Throwable failure, ServerWebExchange exchange, String path) {
        String target = exchange.getRequest().getMethod() + " " + path;
        return switch (failure) {
            case NoResourceFoundException _ ->
                    "Nothing is served at " + target + ". Check the path and the method for typos.";
            case MethodNotAllowedException e -> e.getHttpMethod() + " is not supported at " + path
                    + ". Use one of " + e.getSupportedMethods() + ".";
            case UnsupportedMediaTypeStatusException e -> "Content type " + e.getContentType()
                    + " is not supported by " + target + ". Send one of " + e.getSupportedMediaTypes() + ".";
            case NotAcceptableStatusException e -> target + " cannot answer in any of the accepted media types."
                    + " Accept one of " + e.getSupportedMediaTypes() + ".";
            case ServerWebInputException e -> inputProblem(e) + " Fix the request and send it again.";
            case InferenceFailure.Rejected e -> e.message(NativeParameters::of);
            case InferenceFailure e -> e.getMessage();
            case ResponseStatusException e when e.getReason() != null -> e.getReason();
            case ErrorResponse e when e.getBody().getDetail() != null -> e.getBody().getDetail();
            case ErrorResponse e -> e.getStatusCode() + " for " + target + ".";
            default -> "Unexpected error while handling " + target + " (request " + exchange.getRequest().getId()
                    + "); the server log has the details. Retry, and report the request id if it persists.";
        };
    }

    /** The native API's status for each way inference fails; the OpenAI and TGI APIs have their own mappings. */
    public static HttpStatus status(InferenceFailure failure) {
        return switch (failure) {
            case InferenceFailure.Rejected _ -> HttpStatus.BAD_REQUEST;
            case InferenceFailure.ModelNotFound _ -> HttpStatus.NOT_FOUND;
            case InferenceFailure.ModelNotReady _ -> HttpStatus.SERVICE_UNAVAILABLE;
            case InferenceFailure.Overloaded _ -> HttpStatus.TOO_MANY_REQUESTS;
            case InferenceFailure.TimedOut _ -> HttpStatus.GATEWAY_TIMEOUT;
            case InferenceFailure.GenerationFailed _ -> HttpStatus.INTERNAL_SERVER_ERROR;
            case InferenceFailure.Blocked _ -> HttpStatus.BAD_REQUEST;
        };
    }

    /** The framework's reason (which input) plus the decoder's message (what is wrong with it), when there is one. */
    private static String inputProblem(ServerWebInputException e) {
        String reason = e.getReason() != null ? e.getReason() : "Invalid request.";
        Throwable cause = e.getMostSpecificCause();
        return cause != e && cause.getMessage() != null ? reason + ": " + cause.getMessage() : reason;
    }
}
