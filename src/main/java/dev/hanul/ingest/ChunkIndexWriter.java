package dev.hanul.ingest;

import dev.hanul.guard.ContextGuard;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.VectorStore;
import dev.hanul.ingest.text.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The write step: checks each chunk for hidden instructions (the stage {@code guard}), then replaces the document's
 * chunks in the vector index and commits, so that whatever is reported indexed afterwards survives a crash.
 */
@Component
class ChunkIndexWriter {

    private final VectorStore store;
    private final IngestScheduler scheduler;
    private final IngestMetrics metrics;
    private final ObjectMapper json;
    private final ContextGuard contextGuard;
    private final IngestProperties properties;

    ChunkIndexWriter(VectorStore store, IngestScheduler scheduler, IngestMetrics metrics, ObjectMapper json,
            ContextGuard contextGuard, IngestProperties properties) {
        this.store = store;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.json = json;
        this.contextGuard = contextGuard;
        this.properties = properties;
    }

    Mono<Void> write(JobDocument entry, List<Chunk> split, List<float[]> vectors) {
        DocumentMetadata metadata = DocumentMetadata.fromJson(entry.metadata(), json);
        Instant ingestedAt = Instant.now();
        // The injection check runs a model over every sentence: each chunk is a task of its own, so a long
        // document's chunks are checked on every ingestion thread, and a sentence shared by overlapping chunks once.
        Function<String, Map<String, Object>> guard = contextGuard.ingestMetadata(entry.tenant());
        return Flux.range(0, split.size())
                .flatMapSequential(i -> scheduler.run(() -> chunkDocument(entry, metadata, ingestedAt, guard,
                        split.get(i), vectors.get(i))), properties.workers())
                .collectList()
                .flatMap(chunkDocuments -> scheduler.run(() -> metrics.time("index",
                        () -> write(entry, chunkDocuments))))
                .then();
    }

    private boolean write(JobDocument entry, List<ChunkDocument> chunkDocuments) {
        try {
            store.replaceDocument(entry.tenant(), entry.documentId(), chunkDocuments);
            store.commit();
        } catch (IOException e) {
            if (DiskFullException.isDiskFull(e)) {
                throw new DiskFullException(entry.documentId(), e);
            }
            throw new UncheckedIOException("Cannot write document " + entry.documentId()
                    + " to the index: " + e.getMessage(), e);
        }
        return true;
    }

    private ChunkDocument chunkDocument(JobDocument entry, DocumentMetadata metadata, Instant ingestedAt,
            Function<String, Map<String, Object>> guard, Chunk chunk, float[] vector) {
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
        // Instructions hidden in the chunk (indirect prompt injection), flagged once here for every later search.
        system.putAll(metrics.time("guard", () -> guard.apply(chunk.text())));
        return new ChunkDocument(DocumentKey.chunkId(entry.documentId(), chunk.ordinal()), entry.documentId(),
                entry.tenant(), chunk.text(), vector, metadata.toIndex(system));
    }
}
