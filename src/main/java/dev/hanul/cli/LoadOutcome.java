package dev.hanul.cli;

/**
 * One streaming request as the load generator saw it. Times are nanoseconds from the request's start.
 *
 * @param error              why it failed, null when it succeeded
 * @param firstToken         when the first token arrived (time to first token)
 * @param last               when the last token arrived
 * @param tokens             tokens generated (the server's count when it reports one)
 * @param interTokenLatencies gaps between successive token events
 */
record LoadOutcome(String error, long firstToken, long last, int tokens, long[] interTokenLatencies) {

    static LoadOutcome failed(String error) {
        return new LoadOutcome(error, 0, 0, 0, new long[0]);
    }

    boolean ok() {
        return error == null;
    }

    /** Decode speed the client saw: tokens after the first over the time they took. */
    double tokensPerSecond() {
        return tokens > 1 && last > firstToken ? (tokens - 1) * 1e9 / (last - firstToken) : Double.NaN;
    }
}
