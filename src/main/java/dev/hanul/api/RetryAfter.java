package dev.hanul.api;

import dev.hanul.inference.InferenceFailure;
import java.time.Duration;
import org.springframework.http.HttpHeaders;

/** The Retry-After header of a failure that says when to retry: the same on every API. */
public final class RetryAfter {

    private RetryAfter() {
    }

    public static void set(HttpHeaders headers, Throwable failure) {
        if (failure instanceof InferenceFailure inference && inference.retryAfter() != null) {
            Duration wait = inference.retryAfter();
            // Whole seconds, at least 1: the header has no fractions, and 0 invites a retry storm.
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000)));
        }
    }
}
