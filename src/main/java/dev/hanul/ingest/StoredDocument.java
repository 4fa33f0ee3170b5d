package dev.hanul.ingest;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A document as it is in the index: written in the same transaction that marks its job entry indexed, after the
 * index commit, so a row here always means "searchable".
 *
 * @param id       {@link DocumentKey}: tenant and document id in one key
 * @param metadata the client's metadata as a JSON object
 */
@Table
public record StoredDocument(@Id String id, String tenant, String documentId, String source, String mediaType,
                             String title, String contentHash, long sizeBytes, int chunkCount, String metadata,
                             String jobId, Instant createdAt, Instant indexedAt) {
}
