package dev.hanul.finetune;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A checkpoint a job saved: the trainer's state after {@code step} steps, in the file at {@code path}. */
@Table
record FineTuningCheckpoint(@Id String id, String jobId, int step, Instant createdAt, String path,
                            double trainLoss, Double validationLoss, long trainedTokens) {
}
