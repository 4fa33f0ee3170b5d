package dev.hanul.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The chunk store behind retrieval: chunks of documents, searchable by BM25, kNN and both, always within one
 * tenant. Writes are visible to the next search at once and durable after {@link #commit()}. Safe for concurrent
 * readers and writers.
 */
public interface VectorStore extends Closeable {

    /** Opens the store in {@code directory}, creating it when absent. */
    static VectorStore open(Path directory, IndexConfig config) throws IOException {
        return LuceneVectorStore.open(directory, config);
    }

    /**
     * Rebuilds a store in {@code directory} (new or empty) from a {@link #backup} directory; then {@link #open} it.
     */
    static void restore(Path backup, Path directory) throws IOException {
        LuceneIndex.restore(backup, directory);
    }

    /** Adds chunks as they are; {@link #replaceDocument} is the idempotent way to (re)index a document. */
    void add(List<ChunkDocument> chunks) throws IOException;

    /**
     * Atomically replaces all chunks of a document with these (none deletes it). Every chunk must belong to this
     * tenant and document.
     */
    void replaceDocument(String tenant, String documentId, List<ChunkDocument> chunks) throws IOException;

    void deleteDocument(String tenant, String documentId) throws IOException;

    /** Deletes the tenant's chunks with these ids, of whatever document; ids not there are ignored. */
    void deleteChunks(String tenant, Collection<String> chunkIds) throws IOException;

    /** Deletes the tenant's chunks whose metadata matches the filter ({@link Filter#NONE}: all of them). */
    void deleteMatching(String tenant, Filter filter) throws IOException;

    List<SearchHit> search(SearchRequest request) throws IOException;

    /**
     * All chunks of one document of the tenant as the index holds them, in the order they were written (score 0, no
     * ranks); empty when the tenant has no such document.
     */
    List<SearchHit> documentChunks(String tenant, String documentId) throws IOException;

    /** Number of chunks of the tenant. */
    long count(String tenant) throws IOException;

    /** Number of chunks of all tenants together, as the last refreshed searcher sees them. */
    long count() throws IOException;

    /** Makes all writes so far durable; call before acknowledging them. */
    void commit() throws IOException;

    /** Merges the index down to at most this many segments (see {@link VectorCollection#forceMerge}). */
    void forceMerge(int maxSegments) throws IOException;

    /** Commits, then copies the committed index into {@code target} (new or empty). */
    void backup(Path target) throws IOException;

    /** Commits pending writes and releases the index. */
    @Override
    void close() throws IOException;
}
