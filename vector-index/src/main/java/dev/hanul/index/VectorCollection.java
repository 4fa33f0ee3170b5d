package dev.hanul.index;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A named set of vectors with ids and metadata: the plain vector-database face of the index. Obtained from
 * {@link VectorCollections}, which owns and closes it. Writes are visible to the next query at once and durable
 * after {@link #commit()}. Safe for concurrent readers and writers.
 */
public interface VectorCollection {

    String name();

    IndexConfig config();

    /** Inserts records, replacing any with the same id. */
    void upsert(List<VectorRecord> records) throws IOException;

    void delete(String id) throws IOException;

    Optional<VectorRecord> get(String id) throws IOException;

    long count() throws IOException;

    /** Number of records matching the filter. */
    long count(Filter filter) throws IOException;

    List<VectorMatch> query(VectorQuery query) throws IOException;

    /**
     * Merges down to at most this many segments and waits. Each segment has its own HNSW graph, and a query searches
     * them all; a merged index answers faster. Merging rebuilds graphs, which is slow: run it in quiet hours.
     */
    void forceMerge(int maxSegments) throws IOException;

    /** Makes all writes so far durable. */
    void commit() throws IOException;
}
