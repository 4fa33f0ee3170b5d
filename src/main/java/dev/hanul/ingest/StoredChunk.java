package dev.hanul.ingest;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** Where a chunk of a stored document came from; its text and vector live in the index under {@code chunkId}. */
@Table
public record StoredChunk(@Id String id, String documentKey, String chunkId, int ordinal, int tokens,
                          int startOffset, int endOffset, String heading) {
}
