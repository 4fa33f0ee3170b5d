package dev.hanul.ingest;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/ingest/jobs/{id}} answers.
 *
 * @param status    QUEUED (nothing started), RUNNING, COMPLETED, COMPLETED_WITH_ERRORS (some documents failed) or
 *                  FAILED (all did)
 * @param documents every document of the job with its own status
 * @param errors    the failed documents and why
 */
public record JobView(String id, String tenant, String status, Instant createdAt, Instant finishedAt,
                      Progress progress, List<Entry> documents, List<Error> errors) {

    /**
     * @param documents documents in the job
     * @param done      documents with a final status (indexed, unchanged or failed)
     * @param chunks    chunks cut so far
     * @param embedded  chunks embedded so far
     * @param indexed   chunks committed to the index so far
     */
    public record Progress(int documents, int done, int indexedDocuments, int unchangedDocuments,
                           int failedDocuments, int chunks, int embedded, int indexed) {
    }

    public record Entry(String documentId, String source, String mediaType, long sizeBytes, String status,
                        int chunks, int embedded, int indexed, String error) {
    }

    public record Error(String documentId, String source, String reason) {
    }

    static JobView of(IngestionJob job, List<JobDocument> entries) {
        int done = 0;
        int indexedDocuments = 0;
        int unchanged = 0;
        int failed = 0;
        int started = 0;
        int chunks = 0;
        int embedded = 0;
        int indexed = 0;
        Instant finishedAt = null;
        for (JobDocument entry : entries) {
            JobDocument.Status status = entry.status();
            if (status.isFinal()) {
                done++;
                finishedAt = finishedAt == null || entry.updatedAt().isAfter(finishedAt) ? entry.updatedAt()
                        : finishedAt;
            }
            if (status != JobDocument.Status.QUEUED) {
                started++;
            }
            switch (status) {
                case INDEXED -> indexedDocuments++;
                case UNCHANGED -> unchanged++;
                case FAILED -> failed++;
                default -> { }
            }
            chunks += entry.chunks();
            embedded += entry.embedded();
            indexed += entry.indexed();
        }
        String status = done == entries.size()
                ? failed == 0 ? "COMPLETED" : failed == entries.size() ? "FAILED" : "COMPLETED_WITH_ERRORS"
                : started == 0 ? "QUEUED" : "RUNNING";
        return new JobView(job.id(), job.tenant(), status, job.createdAt(), done == entries.size() ? finishedAt : null,
                new Progress(entries.size(), done, indexedDocuments, unchanged, failed, chunks, embedded, indexed),
                entries.stream().map(e -> new Entry(e.documentId(), e.source(), e.mediaType(), e.sizeBytes(),
                        e.status().name(), e.chunks(), e.embedded(), e.indexed(), e.error())).toList(),
                entries.stream().filter(e -> e.status() == JobDocument.Status.FAILED)
                        .map(e -> new Error(e.documentId(), e.source(), e.error())).toList());
    }
}
