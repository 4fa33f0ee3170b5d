package dev.hanul.ingest;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One accepted ingest request. Its status is derived from its {@link JobDocument}s, never stored twice. */
@Table
public record IngestionJob(@Id String id, String tenant, int documentCount, Instant createdAt) {
}
