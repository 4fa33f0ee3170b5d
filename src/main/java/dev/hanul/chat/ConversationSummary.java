package dev.hanul.chat;

import java.time.Instant;

/**
 * A conversation in the list {@code GET /api/conversations} shows.
 *
 * @param title the conversation's first question, cut to 80 characters
 */
public record ConversationSummary(String conversationId, String title, int messages, Instant createdAt,
                                  Instant updatedAt) {
}
