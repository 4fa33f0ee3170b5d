package dev.hanul.openai;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A request the OpenAI-compatible API refuses, with the fields of an OpenAI error object: which parameter is wrong
 * ({@code param}) lets SDKs and users find the mistake without reading the message.
 */
public class OpenAiException extends ResponseStatusException {

    private final String type;
    private final String param;
    private final String code;

    public OpenAiException(HttpStatus status, String message, String type, String param, String code) {
        super(status, message);
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: the parameter's value cannot be served; the message says what to send instead. */
    public static OpenAiException invalid(String param, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, message, "invalid_request_error", param, null);
    }

    /** 404 for a model this service does not serve, worded as OpenAI words it. */
    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(HttpStatus.NOT_FOUND, "The model `%s` does not exist. GET /v1/models lists the "
                .formatted(model) + "models this service serves.", "invalid_request_error", "model",
                "model_not_found");
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }
}
