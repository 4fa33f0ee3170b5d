package dev.hanul.index;

import java.util.Objects;

/**
 * One chunk of an ingested document, as the store indexes it: text for BM25, its embedding for kNN, metadata for
 * filters. The vector array is not copied.
 *
 * @param chunkId    unique within the document
 * @param documentId the source document; replace and delete work on all chunks of a document
 * @param tenant     owner; searches of one tenant never see another's chunks
 */
public record ChunkDocument(String chunkId, String documentId, String tenant, String text, float[] vector,
                            Metadata metadata) {

    public ChunkDocument {
        requireNonBlank(chunkId, "chunkId");
        requireNonBlank(documentId, "documentId");
        requireNonBlank(tenant, "tenant");
        Objects.requireNonNull(text, () -> "text of chunk '" + chunkId + "'");
        Objects.requireNonNull(vector, () -> "vector of chunk '" + chunkId + "'");
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }

    static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
