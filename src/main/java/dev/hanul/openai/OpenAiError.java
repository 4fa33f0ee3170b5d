package dev.hanul.openai;

import dev.hanul.api.ApiError;
import dev.hanul.inference.InferenceFailure;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
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

    /**
     * The status and body for a failure: the inference façade's failures and this API's own refusals as OpenAI
     * words them, everything else with the status and message {@link ApiError} gives it.
     */
    static Rendered of(Throwable failure, ServerRequest request) {
        if (failure instanceof InferenceFailure || failure instanceof OpenAiException) {
            return of(failure, OpenAiParameters.of(request.exchange()));
        }
        ApiError api = ApiError.of(failure, request);
        String code = switch (failure) {
            case NoResourceFoundException _ -> "unknown_url";
            default -> code(api.status());
        };
        return new Rendered(api.status(), new OpenAiError(new Detail(api.message(), type(api.status()),
                param(failure), code)));
    }

    /**
     * The same for a failure inside a stream, where no request is at hand any more.
     *
     * @param names this request's names for the façade's parameters
     */
    static Rendered of(Throwable failure, OpenAiParameters names) {
        return switch (failure) {
            case OpenAiException e -> new Rendered(e.getStatusCode().value(), new OpenAiError(new Detail(
                    e.getReason(), e.type(), e.param(), e.code())));
            case InferenceFailure.Rejected e -> new Rendered(400, new OpenAiError(new Detail(e.message(names),
                    "invalid_request_error", e.field(names), null)));
            case InferenceFailure.ModelNotFound e -> new Rendered(404, new OpenAiError(new Detail(("The model `%s` "
                    + "does not exist. GET /v1/models lists the models this service serves.")
                    .formatted(e.requested()), "invalid_request_error", "model", "model_not_found")));
            case InferenceFailure.Blocked e -> new Rendered(400, new OpenAiError(new Detail(e.getMessage(),
                    "invalid_request_error", null, "content_policy_violation")));
            case InferenceFailure e -> {
                int status = ApiError.status(e).value();
                yield new Rendered(status, new OpenAiError(new Detail(e.getMessage(), type(status), null,
                        code(status))));
            }
            case ResponseStatusException e -> {
                int status = e.getStatusCode().value();
                yield new Rendered(status, new OpenAiError(new Detail(e.getReason() != null ? e.getReason()
                        : "The generation failed; the server log has the details.", type(status), null,
                        code(status))));
            }
            default -> new Rendered(500, new OpenAiError(new Detail("The generation failed; the server log has the "
                    + "details.", "server_error", null, null)));
        };
    }

    private static String code(int status) {
        return switch (status) {
            case 429 -> "rate_limit_exceeded";
            case 503 -> "service_unavailable";
            case 504 -> "timeout";
            default -> null;
        };
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
