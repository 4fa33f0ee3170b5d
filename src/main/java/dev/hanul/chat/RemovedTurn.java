package dev.hanul.chat;

/** The question and answer {@code DELETE /api/conversations/{id}/last-turn} took off the end of a conversation. */
public record RemovedTurn(String question, String answer) {
}
