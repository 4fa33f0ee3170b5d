package dev.hanul.chat;

import java.util.List;

/** What an answer streams, in this order: its text in pieces, then the sources it was given, then its totals. */
public sealed interface ChatEvent permits ChatEvent.Token, ChatEvent.Citations, ChatEvent.Done {

    /** SSE {@code token}: the next piece of the answer's text. */
    record Token(String text) implements ChatEvent {
    }

    /** SSE {@code citations}: the sources the prompt quoted, by marker ([1], [2], …). */
    record Citations(List<Citation> citations) implements ChatEvent {
    }

    /**
     * SSE {@code done}: the answer is complete (and stored in the conversation, unless it was cancelled).
     *
     * @param finishReason  stop (the model ended), length (maxTokens reached) or cancelled
     * @param interactionId the answer's record in the interaction log, for feedback
     *                      ({@code POST /api/interactions/{id}/feedback})
     */
    record Done(String conversationId, String model, String finishReason, Usage usage, Timings timings,
                TemplateRef template, String interactionId) implements ChatEvent {
    }

    record Usage(int promptTokens, int completionTokens) {
    }

    /**
     * Milliseconds from the request's arrival.
     *
     * @param retrievalMs        embedding the question and searching; 0 when retrieval was off
     * @param timeToFirstTokenMs until the answer's first text; null when there was none
     * @param totalMs            until the answer was complete and stored
     */
    record Timings(long retrievalMs, Long timeToFirstTokenMs, long totalMs) {
    }

    /** The prompt template used; null for plain chat. */
    record TemplateRef(String name, int version) {
    }
}
