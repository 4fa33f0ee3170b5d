package dev.hanul.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored document as the documents API shows it.
 *
 * @param chunks the chunks' positions and headings (only for a single document; null in lists)
 */
public record DocumentView(String documentId, String tenant, String source, String mediaType, String title,
                           String contentHash, long sizeBytes, int chunkCount, Map<String, Object> metadata,
                           String jobId, Instant createdAt, Instant indexedAt, List<ChunkView> chunks) {

    public record ChunkView(String chunkId, int ordinal, int tokens, int start, int end, String heading) {
    }

    static DocumentView of(StoredDocument document, DocumentMetadata metadata, List<StoredChunk> chunks) {
        return new DocumentView(document.documentId(), document.tenant(), document.source(), document.mediaType(),
                document.title(), document.contentHash(), document.sizeBytes(), document.chunkCount(),
                metadata.values(), document.jobId(), document.createdAt(), document.indexedAt(),
                chunks == null ? null : chunks.stream().map(c -> new ChunkView(c.chunkId(), c.ordinal(), c.tokens(),
                        c.startOffset(), c.endOffset(), c.heading())).toList());
    }
}
