package dev.hanul.ingest;

import dev.hanul.guard.ContextGuard;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.VectorStore;
import dev.hanul.ingest.text.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The write step: replaces a document's chunks in the vector index and commits, so that whatever is reported
 * indexed afterwards survives a crash.
 */
@Component
class ChunkIndexWriter {

    private final VectorStore store;
    private final IngestScheduler scheduler;
    private final IngestMetrics metrics;
    private final ObjectMapper json;
    private final ContextGuard contextGuard;

    ChunkIndexWriter(VectorStore store, IngestScheduler scheduler, IngestMetrics metrics, ObjectMapper json,
            ContextGuard contextGuard) {
        this.store = store;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.json = json;
        this.contextGuard = contextGuard;
    }

    Mono<Void> write(JobDocument entry, List<Chunk> split, List<float[]> vectors) {
        List<ChunkDocument> chunkDocuments = chunkDocuments(entry, split, vectors);
        return scheduler.run(() -> metrics.time("index", () -> {
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
        })).then();
    }

    private List<ChunkDocument> chunkDocuments(JobDocument entry, List<Chunk> split, List<float[]> vectors) {
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
            // Instructions hidden in the chunk (indirect prompt injection), flagged once here for every later search.
            system.putAll(contextGuard.ingestMetadata(entry.tenant(), chunk.text()));
            chunkDocuments.add(new ChunkDocument(DocumentKey.chunkId(entry.documentId(), chunk.ordinal()),
                    entry.documentId(), entry.tenant(), chunk.text(), vectors.get(i), metadata.toIndex(system)));
        }
        return chunkDocuments;
    }
}
