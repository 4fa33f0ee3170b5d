package dev.hanul.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One interaction as the API shows it. */
record InteractionView(String id, String tenant, String api, String model, String modelVersion, Template template,
                       String question, String prompt, String response, String finishReason, Usage usage,
                       Timings timings, List<RetrievedChunk> chunks, Map<String, Double> scores, Feedback feedback,
                       Instant createdAt, List<GuardrailDecision> guardrails) {

    record Template(String name, Integer version) {
    }

    record Usage(Integer promptTokens, Integer completionTokens, Integer cachedPromptTokens) {
    }

    record Timings(Double firstTokenMs, double totalMs) {
    }

    /** @param rating up or down */
    record Feedback(String rating, String comment, Instant at) {
    }

    /** A page of records, newest first. */
    record Page(List<InteractionView> items, int page, int size, long total) {
    }
}
