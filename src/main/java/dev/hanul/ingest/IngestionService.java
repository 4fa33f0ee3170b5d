package dev.hanul.ingest;

import dev.hanul.index.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Ingestion as the API sees it: accepting documents into a job, reporting jobs, and the stored documents
 * themselves (list, get, delete). Every lookup is by tenant: one tenant can neither see nor touch another's.
 */
@Service
public class IngestionService {

    private final IngestionWorkers workers;
    private final IngestionJobRepository jobs;
    private final JobDocumentRepository jobDocuments;
    private final StoredDocumentRepository documents;
    private final StoredChunkRepository chunks;
    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private final DocumentLocks locks;
    private final IngestScheduler scheduler;
    private final VectorStore store;
    private final DocumentStaging staging;
    private final JobLeases leases;
    private final IngestProperties properties;
    private final ObjectMapper json;

    IngestionService(IngestionWorkers workers, IngestionJobRepository jobs, JobDocumentRepository jobDocuments,
            StoredDocumentRepository documents, StoredChunkRepository chunks, R2dbcEntityTemplate database,
            TransactionalOperator transaction, DocumentLocks locks, IngestScheduler scheduler, VectorStore store,
            DocumentStaging staging, JobLeases leases, IngestProperties properties, ObjectMapper json) {
        this.workers = workers;
        this.jobs = jobs;
        this.jobDocuments = jobDocuments;
        this.documents = documents;
        this.chunks = chunks;
        this.database = database;
        this.transaction = transaction;
        this.locks = locks;
        this.scheduler = scheduler;
        this.store = store;
        this.staging = staging;
        this.leases = leases;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Records a job with one entry per document and queues the entries. The staged files belong to the job from
     * here on; when the job cannot be accepted (queue full), they are deleted.
     */
    public Mono<IngestionJob> accept(String tenant, List<AcceptedDocument> accepted) {
        if (!workers.reserve(accepted.size())) {
            return discard(accepted).then(Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
                    "The ingestion queue is full (" + workers.pending() + " documents waiting, limit "
                            + properties.maxQueuedDocuments() + ", hanul.ingest.max-queued-documents). Retry when "
                            + "running jobs have finished.")));
        }
        Instant now = Instant.now();
        var job = new IngestionJob(UUID.randomUUID().toString(), tenant, accepted.size(), now);
        var entries = new ArrayList<JobDocument>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            AcceptedDocument document = accepted.get(i);
            entries.add(new JobDocument(UUID.randomUUID().toString(), job.id(), i, tenant, document.documentId(),
                    document.source(), document.mediaType(), document.contentHash(), document.sizeBytes(),
                    document.metadata().toJson(json), document.stagedFile(), JobDocument.Status.QUEUED, 0, 0, 0,
                    null, now));
        }
        return database.insert(job)
                .thenMany(Flux.fromIterable(entries).concatMap(database::insert))
                .then(leases.takeJob(job.id()))
                .then()
                .as(transaction::transactional)
                .doOnSuccess(done -> entries.forEach(entry -> workers.submit(entry.id())))
                .onErrorResume(failure -> {
                    workers.release(accepted.size());
                    return discard(accepted).then(Mono.error(failure));
                })
                .thenReturn(job);
    }

    /** Deletes staged uploads that will not become a job. */
    public Mono<Void> discard(List<AcceptedDocument> accepted) {
        return scheduler.run(() -> {
            accepted.forEach(document -> staging.delete(document.stagedFile()));
            return true;
        }).then();
    }

    public Mono<JobView> job(String tenant, String jobId) {
        return jobs.findById(jobId)
                .filter(job -> job.tenant().equals(tenant))
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No ingestion job "
                        + jobId + " for tenant '" + tenant + "'. Use the id that POST /api/ingest answered, with the "
                        + "same tenant (X-Tenant-Id).")))
                .flatMap(job -> jobDocuments.findByJobIdOrderBySeq(jobId).collectList()
                        .map(entries -> JobView.of(job, entries)));
    }

    public Mono<DocumentPage> list(String tenant, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "offset must be 0 or more and "
                    + "limit between 1 and 1000; got offset " + offset + ", limit " + limit + "."));
        }
        // Offset paging: PageRequest wants a page number, and offset is rarely a multiple of limit.
        return documents.findByTenantOrderByDocumentId(tenant, PageRequest.of(0, offset + limit))
                .skip(offset)
                .map(document -> DocumentView.of(document, DocumentMetadata.fromJson(document.metadata(), json), null))
                .collectList()
                .zipWith(documents.countByTenant(tenant))
                .map(page -> new DocumentPage(page.getT2(), offset, limit, page.getT1()));
    }

    public Mono<DocumentView> document(String tenant, String documentId) {
        String key = DocumentKey.of(tenant, documentId);
        return documents.findById(key)
                .switchIfEmpty(Mono.error(() -> notFound(tenant, documentId)))
                .flatMap(document -> chunks.findByDocumentKeyOrderByOrdinal(key).collectList()
                        .map(list -> DocumentView.of(document, DocumentMetadata.fromJson(document.metadata(), json),
                                list)));
    }

    /**
     * The document's chunks in order, each with the text the index holds for it: what retrieval sees, and what a
     * citation's span points into.
     */
    public Mono<List<DocumentChunk>> documentChunks(String tenant, String documentId) {
        String key = DocumentKey.of(tenant, documentId);
        return documents.findById(key)
                .switchIfEmpty(Mono.error(() -> notFound(tenant, documentId)))
                .flatMap(document -> chunks.findByDocumentKeyOrderByOrdinal(key).collectList())
                .zipWith(scheduler.run(() -> {
                    try {
                        return store.documentChunks(tenant, documentId);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot read document " + documentId + " from the index: "
                                + e.getMessage(), e);
                    }
                }))
                .map(both -> {
                    Map<String, String> texts = new HashMap<>();
                    both.getT2().forEach(hit -> texts.put(hit.chunkId(), hit.text()));
                    return both.getT1().stream().map(c -> new DocumentChunk(c.chunkId(), c.ordinal(), c.tokens(),
                            c.startOffset(), c.endOffset(), c.heading(), texts.get(c.chunkId()))).toList();
                });
    }

    /** Removes the document's chunks from the index (durably) and then its metadata. */
    public Mono<Void> delete(String tenant, String documentId) {
        String key = DocumentKey.of(tenant, documentId);
        return locks.serialize(key, documents.findById(key)
                .switchIfEmpty(Mono.error(() -> notFound(tenant, documentId)))
                .flatMap(document -> scheduler.run(() -> {
                    try {
                        store.deleteDocument(tenant, documentId);
                        store.commit();
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot delete document " + documentId + " from the index: "
                                + e.getMessage(), e);
                    }
                    return document;
                }))
                .flatMap(document -> documents.deleteById(key)));
    }

    private static ResponseStatusException notFound(String tenant, String documentId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No document '" + documentId + "' for tenant '"
                + tenant + "'. GET /api/documents lists the tenant's documents.");
    }

    /** One page of a tenant's documents, ordered by document id. */
    public record DocumentPage(long total, int offset, int limit, List<DocumentView> documents) {
    }
}
