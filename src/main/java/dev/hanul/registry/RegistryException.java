package dev.hanul.registry;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A registry operation that cannot be done, with the status the admin API answers and a reason that says what is
 * wrong and how to fix it (it becomes the JSON error body's message).
 */
public class RegistryException extends ResponseStatusException {

    private RegistryException(HttpStatus status, String reason) {
        super(status, reason);
    }

    /** The request itself is wrong (400). */
    static RegistryException invalid(String reason) {
        return new RegistryException(HttpStatus.BAD_REQUEST, reason);
    }

    /** What it names does not exist (404). */
    static RegistryException notFound(String reason) {
        return new RegistryException(HttpStatus.NOT_FOUND, reason);
    }

    /** It conflicts with the registry's state: memory, a version's phase, an alias that points at it (409). */
    static RegistryException conflict(String reason) {
        return new RegistryException(HttpStatus.CONFLICT, reason);
    }
}
