package dev.hanul.ingest;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * One document of a job: the staged upload it is processed from, how far it got, and why it failed. This row is
 * what makes a job resumable: after a crash every entry that is not {@link Status#isFinal final} runs again.
 *
 * @param seq        position in the job's request
 * @param stagedFile the upload under the data directory's staging folder, deleted once the entry is final
 * @param chunks     chunks cut from the document
 * @param embedded   chunks embedded so far
 * @param indexed    chunks committed to the index
 * @param error      why it failed, for the person who uploaded it
 */
@Table
public record JobDocument(@Id String id, String jobId, int seq, String tenant, String documentId, String source,
                          String mediaType, String contentHash, long sizeBytes, String metadata, String stagedFile,
                          Status status, int chunks, int embedded, int indexed, String error, Instant updatedAt) {

    public enum Status {
        QUEUED, RUNNING,
        /** Its chunks are committed to the index and searchable. */
        INDEXED,
        /** The same content was already indexed; nothing was done. */
        UNCHANGED,
        FAILED;

        public boolean isFinal() {
            return this == INDEXED || this == UNCHANGED || this == FAILED;
        }
    }

    JobDocument running() {
        return new JobDocument(id, jobId, seq, tenant, documentId, source, mediaType, contentHash, sizeBytes, metadata,
                stagedFile, Status.RUNNING, 0, 0, 0, null, Instant.now());
    }

    JobDocument progress(int chunks, int embedded, int indexed) {
        return new JobDocument(id, jobId, seq, tenant, documentId, source, mediaType, contentHash, sizeBytes, metadata,
                stagedFile, status, chunks, embedded, indexed, error, Instant.now());
    }

    JobDocument finished(Status status, String error) {
        return new JobDocument(id, jobId, seq, tenant, documentId, source, mediaType, contentHash, sizeBytes, metadata,
                stagedFile, status, chunks, embedded, indexed, error, Instant.now());
    }
}
