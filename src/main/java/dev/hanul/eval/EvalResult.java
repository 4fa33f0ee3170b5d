package dev.hanul.eval;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * What one item scored in one run.
 *
 * @param retrieved JSON array of document ids, best first
 * @param metrics   JSON object, metric → value (only the metrics the item has references for)
 */
@Table
record EvalResult(@Id String id, String runId, int seq, String itemId, String retrieved, String answer,
                  String metrics, long latencyMs, Integer promptTokens, Integer completionTokens, String error) {
}
