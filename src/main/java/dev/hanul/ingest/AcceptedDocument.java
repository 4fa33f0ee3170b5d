package dev.hanul.ingest;

/**
 * A document that passed the checks at the door, staged and ready to become a job entry.
 *
 * @param stagedFile the file name under {@link DocumentStaging}
 */
public record AcceptedDocument(String documentId, String source, String mediaType, String contentHash,
                               long sizeBytes, DocumentMetadata metadata, String stagedFile) {
}
