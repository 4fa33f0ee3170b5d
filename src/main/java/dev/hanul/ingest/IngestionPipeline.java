package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.VectorStore;
import dev.hanul.ingest.JobDocument.Status;
import dev.hanul.ingest.text.Chunk;
import dev.hanul.ingest.text.ChunkSplitter;
import dev.hanul.ingest.text.DocumentParser;
import dev.hanul.ingest.text.ParsedDocument;
import dev.hanul.ingest.text.PiiRedactor;
import dev.hanul.ingest.text.TextCleaner;
import dev.hanul.ingest.text.UnprocessableDocumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Takes one job entry from its staged upload to searchable chunks: parse → clean → redact → chunk → embed (in
 * batches) → replace the document's chunks in the index → commit → record it in the metadata database. The index
 * commit comes before the row that reports the document indexed, so whatever the API reports indexed survives a
 * crash; a crash between the two only means the entry runs again, and because chunk ids are stable and the index
 * replaces by document id, running again never duplicates a chunk.
 */
@Component
public class IngestionPipeline {

    private static final Logger log = LoggerFactory.getLogger(IngestionPipeline.class);

    /** What the blocking steps made of a document, before embedding. */
    private record Prepared(ParsedDocument parsed, List<Chunk> chunks) {
    }

    private final DocumentParser parser;
    private final TextCleaner cleaner;
    private final PiiRedactor redactor;
    private final ChunkSplitter splitter;
    private final Embedder embedder;
    private final VectorStore store;
    private final JobDocumentRepository jobDocuments;
    private final StoredDocumentRepository documents;
    private final StoredChunkRepository chunks;
    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private final DocumentStaging staging;
    private final DocumentLocks locks;
    private final IngestScheduler scheduler;
    private final IngestMetrics metrics;
    private final IngestProperties properties;
    private final ObjectMapper json;

    IngestionPipeline(DocumentParser parser, TextCleaner cleaner, PiiRedactor redactor, ChunkSplitter splitter,
            Embedder embedder, VectorStore store, JobDocumentRepository jobDocuments,
            StoredDocumentRepository documents, StoredChunkRepository chunks, R2dbcEntityTemplate database,
            TransactionalOperator transaction, DocumentStaging staging, DocumentLocks locks,
            IngestScheduler scheduler, IngestMetrics metrics, IngestProperties properties,
            ObjectMapper json) {
        this.parser = parser;
        this.cleaner = cleaner;
        this.redactor = redactor;
        this.splitter = splitter;
        this.embedder = embedder;
        this.store = store;
        this.jobDocuments = jobDocuments;
        this.documents = documents;
        this.chunks = chunks;
        this.database = database;
        this.transaction = transaction;
        this.staging = staging;
        this.locks = locks;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.properties = properties;
        this.json = json;
    }

    /** Processes the entry to a final status; fails only when even recording a failure fails. */
    public Mono<JobDocument> process(JobDocument entry) {
        String key = DocumentKey.of(entry.tenant(), entry.documentId());
        return locks.serialize(key, Mono.defer(() -> run(entry, key)))
                .onErrorResume(failure -> failed(entry, failure))
                .flatMap(done -> scheduler.run(() -> {
                    staging.delete(done.stagedFile());
                    metrics.documentFinished(done.status(), done.status() == Status.INDEXED ? done.indexed() : 0);
                    return done;
                }));
    }

    private Mono<JobDocument> run(JobDocument queued, String key) {
        return jobDocuments.save(queued.running()).flatMap(entry -> documents.findById(key)
                .filter(existing -> existing.contentHash().equals(entry.contentHash()))
                .flatMap(unchanged -> jobDocuments.save(entry.finished(Status.UNCHANGED, null)))
                .switchIfEmpty(Mono.defer(() -> ingest(entry, key))));
    }

    private Mono<JobDocument> ingest(JobDocument entry, String key) {
        return scheduler.run(() -> prepare(entry)).flatMap(prepared -> {
            int count = prepared.chunks().size();
            return jobDocuments.save(entry.progress(count, 0, 0))
                    .flatMap(chunked -> embed(chunked, prepared.chunks()))
                    .flatMap(vectors -> index(entry, prepared.chunks(), vectors)
                            .then(jobDocuments.save(entry.progress(count, count, count))))
                    .flatMap(indexed -> record(indexed, key, prepared));
        });
    }

    private Prepared prepare(JobDocument entry) {
        Path file = staging.resolve(entry.stagedFile());
        if (!Files.exists(file)) {
            throw new UnprocessableDocumentException("its staged upload " + file.getFileName() + " is gone (was the "
                    + "data directory cleaned?); upload the document again");
        }
        ParsedDocument parsed = metrics.time("parse", () -> parser.parse(file, entry.source(), entry.mediaType()));
        String text = metrics.time("clean", () -> cleaner.clean(parsed.text(), entry.mediaType()));
        String redacted = metrics.time("redact", () -> redactor.redact(text).text());
        if (redacted.isBlank()) {
            throw new UnprocessableDocumentException("nothing is left to index once its text is cleaned");
        }
        List<Chunk> split = metrics.time("chunk", () -> splitter.split(redacted));
        return new Prepared(parsed, split);
    }

    /** Embeds in batches, saving the entry's progress after each one. */
    private Mono<List<float[]>> embed(JobDocument entry, List<Chunk> all) {
        var batches = new ArrayList<List<Chunk>>();
        for (int from = 0; from < all.size(); from += properties.embedBatchSize()) {
            batches.add(all.subList(from, Math.min(all.size(), from + properties.embedBatchSize())));
        }
        var embedded = new AtomicInteger();
        return Flux.fromIterable(batches)
                .concatMap(batch -> scheduler.run(() -> metrics.time("embed",
                                () -> embedder.embed(batch.stream().map(Chunk::text).toList())))
                        .flatMap(vectors -> jobDocuments.save(entry.progress(all.size(),
                                embedded.addAndGet(vectors.size()), 0)).thenReturn(vectors)))
                .concatMapIterable(vectors -> vectors)
                .collectList();
    }

    private Mono<Void> index(JobDocument entry, List<Chunk> split, List<float[]> vectors) {
        DocumentMetadata metadata = DocumentMetadata.fromJson(entry.metadata(), json);
        Instant ingestedAt = Instant.now();
        var chunkDocuments = new ArrayList<ChunkDocument>(split.size());
        for (int i = 0; i < split.size(); i++) {
            Chunk chunk = split.get(i);
            Map<String, Object> system = new LinkedHashMap<>();
            system.put("documentId", entry.documentId());
            system.put("source", entry.source());
            system.put("mediaType", entry.mediaType());
            system.put("heading", chunk.heading());
            // Where the chunk sits in the cleaned text, so that answers can merge a document's overlapping chunks.
            system.put(DocumentMetadata.CHUNK_ORDINAL, chunk.ordinal());
            system.put(DocumentMetadata.START_OFFSET, chunk.start());
            system.put(DocumentMetadata.END_OFFSET, chunk.end());
            system.put("ingestedAt", ingestedAt);
            chunkDocuments.add(new ChunkDocument(DocumentKey.chunkId(entry.documentId(), chunk.ordinal()),
                    entry.documentId(), entry.tenant(), chunk.text(), vectors.get(i), metadata.toIndex(system)));
        }
        return scheduler.run(() -> metrics.time("index", () -> {
            try {
                store.replaceDocument(entry.tenant(), entry.documentId(), chunkDocuments);
                store.commit();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write document " + entry.documentId()
                        + " to the index: " + e.getMessage(), e);
            }
            return true;
        })).then();
    }

    /** The document row, its chunk rows and the entry's final status, in one transaction. */
    private Mono<JobDocument> record(JobDocument entry, String key, Prepared prepared) {
        Instant now = Instant.now();
        Mono<StoredDocument> upsert = documents.findById(key)
                .flatMap(existing -> database.update(stored(entry, key, prepared, existing.createdAt(), now)))
                .switchIfEmpty(Mono.defer(() -> database.insert(stored(entry, key, prepared, now, now))));
        Flux<StoredChunk> chunkRows = Flux.fromIterable(prepared.chunks()).concatMap(chunk -> database.insert(
                new StoredChunk(key + ":" + chunk.ordinal(), key, DocumentKey.chunkId(entry.documentId(),
                        chunk.ordinal()), chunk.ordinal(), chunk.tokens(), chunk.start(), chunk.end(),
                        chunk.heading())));
        return upsert
                .then(chunks.deleteByDocumentKey(key))
                .thenMany(chunkRows)
                .then(jobDocuments.save(entry.finished(Status.INDEXED, null)))
                .as(transaction::transactional);
    }

    private StoredDocument stored(JobDocument entry, String key, Prepared prepared, Instant createdAt,
            Instant indexedAt) {
        return new StoredDocument(key, entry.tenant(), entry.documentId(), entry.source(), entry.mediaType(),
                prepared.parsed().title(), entry.contentHash(), entry.sizeBytes(), prepared.chunks().size(),
                entry.metadata(), entry.jobId(), createdAt, indexedAt);
    }

    private Mono<JobDocument> failed(JobDocument entry, Throwable failure) {
        String reason;
        if (failure instanceof UnprocessableDocumentException unprocessable) {
            reason = unprocessable.getMessage();
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
}
