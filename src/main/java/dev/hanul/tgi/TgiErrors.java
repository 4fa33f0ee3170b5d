package dev.hanul.tgi;

import dev.hanul.api.RetryAfter;
import dev.hanul.inference.InferenceFailure;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * Errors of the TGI endpoints in TGI's shape and with TGI's statuses, which its clients map to exceptions: 422
 * validation, 429 overloaded, 424 generation; 503 while the model is not loaded (TGI's health check answer). The rest
 * of the service keeps its own error body ({@link dev.hanul.api.ApiError}).
 */
@RestControllerAdvice(assignableTypes = TgiController.class)
class TgiErrors {

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorResponse> handle(Exception failure) throws Exception {
        Failure mapped = map(failure);
        if (mapped == null) {
            throw failure; // a bug: the service's handler logs it and answers 500
        }
        return ResponseEntity.status(mapped.status()).headers(headers -> RetryAfter.set(headers, failure))
                .body(mapped.body());
    }

    /** A failure as TGI reports it, or null when it is not one the API explains (a bug). */
    static Failure map(Throwable failure) {
        return switch (failure) {
            case InvalidGenerateRequest e -> new Failure(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage(), "validation");
            case ServerWebInputException e -> new Failure(HttpStatus.UNPROCESSABLE_CONTENT, inputProblem(e),
                    "validation");
            case InferenceFailure.Rejected e -> new Failure(HttpStatus.UNPROCESSABLE_CONTENT,
                    e.message(TgiParameters::of), "validation");
            case InferenceFailure.ModelNotFound e -> new Failure(HttpStatus.NOT_FOUND, e.getMessage(), "validation");
            case InferenceFailure.ModelNotReady e -> new Failure(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(),
                    "healthcheck");
            case InferenceFailure.Overloaded e -> new Failure(HttpStatus.TOO_MANY_REQUESTS, e.getMessage(),
                    "overloaded");
            case InferenceFailure.TimedOut e -> new Failure(HttpStatus.GATEWAY_TIMEOUT, e.getMessage(), "generation");
            case InferenceFailure.GenerationFailed e -> new Failure(HttpStatus.FAILED_DEPENDENCY, e.getMessage(),
                    "generation");
            case InferenceFailure.Blocked e -> new Failure(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage(),
                    "content_policy");
            case ResponseStatusException e -> new Failure(e.getStatusCode(), e.getReason(), "generation");
            default -> null;
        };
    }

    private static String inputProblem(ServerWebInputException e) {
        Throwable cause = e.getMostSpecificCause();
        String detail = cause != e && cause.getMessage() != null ? ": " + cause.getMessage() : "";
        return "Failed to deserialize the JSON body into the target type" + detail
                + ". Send {\"inputs\": \"...\", \"parameters\": {...}} with TGI's parameter names and types.";
    }

    record Failure(HttpStatusCode status, String message, String errorType) {

        ErrorResponse body() {
            return new ErrorResponse(message, errorType);
        }
    }
}
