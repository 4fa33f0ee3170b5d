package dev.hanul.eval;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One question of a dataset, as stored.
 *
 * @param answers  JSON array of reference answers (empty: no answer metrics)
 * @param relevant JSON object, document id → graded relevance (empty: no retrieval metrics)
 * @param messages JSON array of {@code {role, content}} for a chat item, which the model answers as it is, without
 *                 retrieval (a fine-tuning job's held-out conversations); null for a question over the documents
 */
@Table
record EvalItem(@Id String id, String datasetId, int seq, String itemId, String question, String answers,
                String relevant, String messages) {
}
