package dev.hanul.ingest;

import dev.hanul.embedding.Embedder;
import dev.hanul.ingest.text.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Embeds a document's chunks in batches of {@code hanul.ingest.embed-batch-size} on the ingestion threads. */
@Component
class ChunkEmbedder {

    private final Embedder embedder;
    private final IngestScheduler scheduler;
    private final IngestMetrics metrics;
    private final IngestProperties properties;

    ChunkEmbedder(Embedder embedder, IngestScheduler scheduler, IngestMetrics metrics, IngestProperties properties) {
        this.embedder = embedder;
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
                .concatMap(batch -> scheduler.run(() -> metrics.time("embed",
                                () -> embedder.embedPassages(batch.stream().map(Chunk::text).toList())))
                        .flatMap(vectors -> afterBatch.apply(embedded.addAndGet(vectors.size()))
                                .thenReturn(vectors)))
                .concatMapIterable(vectors -> vectors)
                .collectList();
    }
}
