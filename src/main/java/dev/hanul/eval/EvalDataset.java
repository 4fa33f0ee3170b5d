package dev.hanul.eval;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A set of questions to evaluate on; its corpus is indexed in {@code tenant}. */
@Table
record EvalDataset(@Id String id, String name, String tenant, String format, int itemCount, String createdBy,
                   Instant createdAt) {
}
