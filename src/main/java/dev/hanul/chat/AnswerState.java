package dev.hanul.chat;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;

/** What one answer has produced so far; one per subscription, touched by one event at a time. */
final class AnswerState {

    private final StringBuilder text = new StringBuilder();
    private Long firstTokenMs;
    private FinishReason reason = FinishReason.CANCELLED;
    private Usage usage = new Usage(0, 0, 0);

    void append(String piece, long startedNanos) {
        if (firstTokenMs == null) {
            firstTokenMs = (System.nanoTime() - startedNanos) / 1_000_000;
        }
        text.append(piece);
    }

    void finish(GenerationEvent.Finished finished) {
        reason = finished.reason();
        usage = finished.usage();
    }

    String text() {
        return text.toString();
    }

    Long firstTokenMs() {
        return firstTokenMs;
    }

    /** CANCELLED until the engine reports how the answer ended. */
    FinishReason reason() {
        return reason;
    }

    Usage usage() {
        return usage;
    }
}
