package dev.hanul.ingest;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Takes one job entry from its staged upload to searchable chunks, in Spring AI's ETL shape: the
 * {@link DocumentProcessor} reads and transforms (parse → clean → redact → chunk), the {@link ChunkEmbedder} embeds in
 * batches, the {@link ChunkIndexWriter} writes and commits, and the {@link JobProgressRecorder} keeps the metadata
 * database in step. The index commit comes before the row that reports the document indexed, so whatever the API
 * reports indexed survives a crash; a crash between the two only means the entry runs again, and because chunk ids
 * are stable and the index replaces by document id, running again never duplicates a chunk.
 */
@Component
public class IngestionPipeline {

    private final DocumentProcessor processor;
    private final ChunkEmbedder embedder;
    private final ChunkIndexWriter writer;
    private final JobProgressRecorder progress;
    private final DocumentLocks locks;
    private final IngestScheduler scheduler;

    IngestionPipeline(DocumentProcessor processor, ChunkEmbedder embedder, ChunkIndexWriter writer,
            JobProgressRecorder progress, DocumentLocks locks, IngestScheduler scheduler) {
        this.processor = processor;
        this.embedder = embedder;
        this.writer = writer;
        this.progress = progress;
        this.locks = locks;
        this.scheduler = scheduler;
    }

    /** Processes the entry to a final status; fails only when even recording a failure fails. */
    public Mono<JobDocument> process(JobDocument entry) {
        String key = DocumentKey.of(entry.tenant(), entry.documentId());
        return locks.serialize(key, Mono.defer(() -> run(entry, key)))
                .onErrorResume(failure -> progress.failed(entry, failure))
                .flatMap(done -> scheduler.run(() -> {
                    processor.discard(done);
                    progress.finished(done);
                    return done;
                }));
    }

    private Mono<JobDocument> run(JobDocument queued, String key) {
        return progress.running(queued).flatMap(entry -> progress.sameContent(entry, key)
                .flatMap(unchanged -> progress.unchanged(entry))
                .switchIfEmpty(Mono.defer(() -> ingest(entry, key))));
    }

    private Mono<JobDocument> ingest(JobDocument entry, String key) {
        return scheduler.run(() -> processor.process(entry)).flatMap(processed -> {
            int count = processed.chunks().size();
            return progress.progress(entry, count, 0, 0)
                    .then(embedder.embed(processed.chunks(),
                            embedded -> progress.progress(entry, count, embedded, 0)))
                    .flatMap(vectors -> writer.write(entry, processed.chunks(), vectors)
                            .then(progress.progress(entry, count, count, count)))
                    .flatMap(indexed -> progress.indexed(indexed, key, processed));
        });
    }
}
