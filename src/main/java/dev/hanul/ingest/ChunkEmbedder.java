package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.text.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntFunction;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Embeds a document's chunks in batches of {@code hanul.ingest.embed-batch-size}, each chunk a task of its own on the
 * ingestion threads, run by an ONNX session that uses only the calling thread.
 *
 * <p>Why not the service's shared session, which spreads each text over every core: ingestion already runs
 * {@code hanul.ingest.workers} threads (one per core by default), so two workers each asking for two intra-op threads
 * oversubscribed two cores, and a run split over threads waits for the slowest at every layer. One text per core
 * does the same arithmetic without the splitting; and because each chunk is its own task, the chunks of one long
 * document spread over every worker while the others parse or index. A text's vector is the same whichever session
 * runs it (see ChunkEmbedderTest): one text per ONNX run, as before, never a padded batch.
 */
@Component
class ChunkEmbedder implements AutoCloseable {

    private final Embedder shared;
    private final IngestScheduler scheduler;
    private final IngestMetrics metrics;
    private final IngestProperties properties;
    /** Runs hold it shared; close takes it alone, so the session is never closed under a running text. */
    private final ReadWriteLock open = new ReentrantReadWriteLock();
    private boolean closed;
    /** Opened on the first chunk: a service (or a test's context) that never ingests does not hold a second copy. */
    private Embedder passages;

    ChunkEmbedder(Embedder embedder, IngestScheduler scheduler, IngestMetrics metrics, IngestProperties properties) {
        this.shared = embedder;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.properties = properties;
    }

    /**
     * The chunks' vectors in chunk order; {@code afterBatch} gets the number embedded so far after each batch and
     * its completion is awaited before the next batch, so that progress is saved in order.
     */
    Mono<List<float[]>> embed(List<Chunk> all, IntFunction<Mono<?>> afterBatch) {
        var batches = new ArrayList<List<Chunk>>();
        for (int from = 0; from < all.size(); from += properties.embedBatchSize()) {
            batches.add(all.subList(from, Math.min(all.size(), from + properties.embedBatchSize())));
        }
        var embedded = new AtomicInteger();
        return Flux.fromIterable(batches)
                .concatMap(batch -> Flux.fromIterable(batch)
                        .flatMapSequential(chunk -> scheduler.run(() -> embed(chunk)), properties.workers())
                        .collectList()
                        .flatMap(vectors -> afterBatch.apply(embedded.addAndGet(vectors.size()))
                                .thenReturn(vectors)))
                .concatMapIterable(vectors -> vectors)
                .collectList();
    }

    private float[] embed(Chunk chunk) {
        open.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("The service is stopping; the document is resumed at the next start");
            }
            Embedder session = session();
            return metrics.time("embed", () -> session.embedPassages(List.of(chunk.text())).getFirst());
        } finally {
            open.readLock().unlock();
        }
    }

    private synchronized Embedder session() {
        if (passages == null) {
            passages = shared.onCallingThread();
        }
        return passages;
    }

    @Override
    public void close() {
        open.writeLock().lock();
        try {
            closed = true;
            synchronized (this) {
                if (passages != null) {
                    passages.close();
                }
            }
        } finally {
            open.writeLock().unlock();
        }
    }
}
