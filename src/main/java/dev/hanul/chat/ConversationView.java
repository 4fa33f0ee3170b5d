package dev.hanul.chat;

import java.time.Instant;
import java.util.List;

/** A stored conversation as {@code GET /api/conversations/{id}} shows it. */
public record ConversationView(String conversationId, String tenant, Instant createdAt, Instant updatedAt,
                               List<Message> messages) {

    public record Message(String role, String content, Instant createdAt) {
    }
}
