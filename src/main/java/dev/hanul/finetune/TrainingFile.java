package dev.hanul.finetune;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A training file as stored: one version of a tenant's dataset. Its content is immutable, in {@link FileContents}.
 *
 * @param dataset  the dataset it is a version of (the uploaded file's name without extension, or the builder's)
 * @param origin   upload, feedback (the interaction log) or documents (question/answer pairs over documents)
 * @param examples the conversations it holds, all valid
 */
@Table
record TrainingFile(@Id String id, String tenant, String filename, String purpose, String dataset, int version,
                    String origin, long bytes, int examples, String sha256, String createdBy, Instant createdAt) {
}
