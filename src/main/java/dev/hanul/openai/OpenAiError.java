package dev.hanul.openai;

import dev.hanul.api.ApiError;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * The error body of the OpenAI API, {@code {"error": {"message", "type", "param", "code"}}}, which OpenAI SDKs parse
 * into their exceptions. The message is the one every other endpoint of the service gives ({@link ApiError}).
 */
public record OpenAiError(Detail error) {

    /**
     * @param type  invalid_request_error for the client's mistakes, server_error for the service's
     * @param param the request parameter at fault (a JSON path such as {@code messages[0].content}), or null
     * @param code  a machine-readable reason (model_not_found, ...), or null
     */
    public record Detail(String message, String type, String param, String code) {
    }

    /** The status and body for a failure, as {@link ApiError} judges the status. */
    static Rendered of(Throwable failure, ServerRequest request) {
        ApiError api = ApiError.of(failure, request);
        if (failure instanceof OpenAiException e) {
            return new Rendered(api.status(), new OpenAiError(new Detail(api.message(), e.type(), e.param(),
                    e.code())));
        }
        String code = switch (failure) {
            case NoResourceFoundException _ -> "unknown_url";
            default -> api.status() == 503 ? "service_unavailable" : api.status() == 504 ? "timeout" : null;
        };
        return new Rendered(api.status(), new OpenAiError(new Detail(api.message(), type(api.status()),
                param(failure), code)));
    }

    record Rendered(int status, OpenAiError body) {
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /**
     * For a body Jackson could not bind (a string where a number belongs), the path of the offending field; none for
     * JSON that does not parse, where the path would only say how far the parser got.
     */
    private static String param(Throwable failure) {
        if (!(failure instanceof ServerWebInputException)) {
            return null;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException jackson && !jackson.getPath().isEmpty()) {
                return path(jackson.getPath());
            }
        }
        return null;
    }

    private static String path(List<JacksonException.Reference> references) {
        var path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
