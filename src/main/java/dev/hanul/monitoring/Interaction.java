package dev.hanul.monitoring;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One row of the interaction log (see V20__interaction_log.sql, table interaction, and V50__guardrails.sql); chunks,
 * scores and guardrails are JSON text.
 */
@Table
record Interaction(@Id String id, String tenant, String api, String modelName, String modelVersion,
                   String templateName, Integer templateVersion, String question, String prompt, String response,
                   String finishReason, Integer promptTokens, Integer completionTokens, Integer cachedPromptTokens,
                   Double ttftMs, double durationMs, String chunks, String scores, String feedbackRating,
                   String feedbackComment, Instant feedbackAt, Instant createdAt, String guardrails) {
}
