package dev.hanul.engine;

/**
 * The engine's queue is full: the request was not accepted and can be retried later. A service answers it with 429
 * or 503 and a Retry-After.
 */
public final class EngineOverloadedException extends RuntimeException {

    private final int waiting;
    private final int limit;

    public EngineOverloadedException(int waiting, int limit) {
        super("The engine is overloaded: %d requests are already waiting, the limit (maxWaiting) is %d. Retry later."
                .formatted(waiting, limit));
        this.waiting = waiting;
        this.limit = limit;
    }

    public int waiting() {
        return waiting;
    }

    public int limit() {
        return limit;
    }
}
