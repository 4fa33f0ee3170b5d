package dev.hanul.chat;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One stored message of a conversation; {@code seq} orders them from 0. */
@Table
record ConversationMessage(@Id String id, String conversationKey, int seq, String role, String content,
                           Instant createdAt) {
}
