package dev.hanul.chat;

import java.util.List;

/** {@code POST /api/chat} with {@code "stream": false}: the stream's events as one JSON object. */
public record ChatResponse(String conversationId, String model, String answer, List<Citation> citations,
                           String finishReason, ChatEvent.Usage usage, ChatEvent.Timings timings,
                           ChatEvent.TemplateRef template, String interactionId) {
}
