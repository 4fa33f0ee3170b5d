package dev.hanul.monitoring;

/**
 * A user's judgement of one answer.
 *
 * @param rating  {@code up} or {@code down}
 * @param comment free text, optional
 */
record FeedbackRequest(String rating, String comment) {
}
