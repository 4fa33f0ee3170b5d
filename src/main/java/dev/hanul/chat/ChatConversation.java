package dev.hanul.chat;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A conversation kept on the server; {@code id} is the hash of tenant and conversation id. */
@Table
record ChatConversation(@Id String id, String tenant, String conversationId, Instant createdAt, Instant updatedAt) {
}
