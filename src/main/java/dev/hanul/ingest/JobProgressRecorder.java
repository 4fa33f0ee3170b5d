package dev.hanul.ingest;

import dev.hanul.ingest.JobDocument.Status;
import dev.hanul.ingest.text.UnprocessableDocumentException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the metadata database knows of a job entry as it runs: its status and progress, the stored document and its
 * chunk rows once indexed, and the reason when it failed.
 */
@Component
class JobProgressRecorder {

    private static final Logger log = LoggerFactory.getLogger(JobProgressRecorder.class);

    private final JobDocumentRepository jobDocuments;
    private final StoredDocumentRepository documents;
    private final StoredChunkRepository chunks;
    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private final IngestMetrics metrics;

    JobProgressRecorder(JobDocumentRepository jobDocuments, StoredDocumentRepository documents,
            StoredChunkRepository chunks, R2dbcEntityTemplate database, TransactionalOperator transaction,
            IngestMetrics metrics) {
        this.jobDocuments = jobDocuments;
        this.documents = documents;
        this.chunks = chunks;
        this.database = database;
        this.transaction = transaction;
        this.metrics = metrics;
    }

    Mono<JobDocument> running(JobDocument queued) {
        return jobDocuments.save(queued.running());
    }

    /** The stored document when it already holds exactly this content. */
    Mono<StoredDocument> sameContent(JobDocument entry, String key) {
        return documents.findById(key).filter(existing -> existing.contentHash().equals(entry.contentHash()));
    }

    Mono<JobDocument> unchanged(JobDocument entry) {
        return jobDocuments.save(entry.finished(Status.UNCHANGED, null));
    }

    Mono<JobDocument> progress(JobDocument entry, int chunkCount, int embedded, int indexed) {
        return jobDocuments.save(entry.progress(chunkCount, embedded, indexed));
    }

    /** The document row, its chunk rows and the entry's final status, in one transaction. */
    Mono<JobDocument> indexed(JobDocument entry, String key, ProcessedDocument processed) {
        Instant now = Instant.now();
        Mono<StoredDocument> upsert = documents.findById(key)
                .flatMap(existing -> database.update(stored(entry, key, processed, existing.createdAt(), now)))
                .switchIfEmpty(Mono.defer(() -> database.insert(stored(entry, key, processed, now, now))));
        Flux<StoredChunk> chunkRows = Flux.fromIterable(processed.chunks()).concatMap(chunk -> database.insert(
                new StoredChunk(key + ":" + chunk.ordinal(), key, DocumentKey.chunkId(entry.documentId(),
                        chunk.ordinal()), chunk.ordinal(), chunk.tokens(), chunk.start(), chunk.end(),
                        chunk.heading())));
        return upsert
                .then(chunks.deleteByDocumentKey(key))
                .thenMany(chunkRows)
                .then(jobDocuments.save(entry.finished(Status.INDEXED, null)))
                .as(transaction::transactional);
    }

    Mono<JobDocument> failed(JobDocument entry, Throwable failure) {
        String reason;
        if (failure instanceof UnprocessableDocumentException unprocessable) {
            reason = unprocessable.getMessage();
        } else if (failure instanceof DiskFullException full) {
            log.warn("Document {} ({}) of job {}: {}", entry.documentId(), entry.source(), entry.jobId(),
                    full.getMessage());
            reason = full.getMessage();
        } else {
            log.error("Ingesting document {} ({}) of job {} failed", entry.documentId(), entry.source(),
                    entry.jobId(), failure);
            reason = "internal error (" + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                    + "); the server log has the details. Upload the document again, and report it if it persists";
        }
        return jobDocuments.findById(entry.id())
                .defaultIfEmpty(entry)
                .flatMap(current -> jobDocuments.save(current.finished(Status.FAILED, reason)));
    }

    void finished(JobDocument done) {
        metrics.documentFinished(done.status(), done.status() == Status.INDEXED ? done.indexed() : 0);
    }

    private static StoredDocument stored(JobDocument entry, String key, ProcessedDocument processed,
            Instant createdAt, Instant indexedAt) {
        return new StoredDocument(key, entry.tenant(), entry.documentId(), entry.source(), entry.mediaType(),
                processed.parsed().title(), entry.contentHash(), entry.sizeBytes(), processed.chunks().size(),
                entry.metadata(), entry.jobId(), createdAt, indexedAt);
    }
}
