package dev.hanul.finetune;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One event of a job, as OpenAI's fine_tuning.job.event: a message, or (type metrics) a step's numbers in
 * {@code data}.
 */
@Table
record FineTuningEvent(@Id String id, String jobId, long seq, Instant createdAt, String level, String message,
                       String type, String data) {
}
