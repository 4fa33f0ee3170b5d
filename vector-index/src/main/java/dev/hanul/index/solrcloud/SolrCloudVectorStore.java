package dev.hanul.index.solrcloud;

import dev.hanul.index.ChunkDocument;
import dev.hanul.index.Filter;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorCheck;
import dev.hanul.index.VectorStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ShardParams;

/**
 * The chunk store on a SolrCloud collection, for when one machine is not enough: shards spread the chunks over
 * nodes, NRT replicas keep copies, and any number of Hanul replicas share the collection. It keeps the embedded
 * store's contract: the same fields and analyzers (EnglishAnalyzer, Nori), HNSW kNN with the tenant and filters as
 * pre-filter, BM25 with collection-wide statistics, hybrid search fused by Hanul's {@link dev.hanul.index.HybridFusion}
 * over the two rankings.
 *
 * <p>Durability: a write returns once the shard leader has fsynced it to its transaction log and every live replica
 * has it in its own (the configset sets {@code syncLevel=FSYNC}); a node that then dies replays its log when it comes
 * back, and the other replicas hold the write meanwhile. So an acknowledged write is durable without {@link #commit()},
 * which only shortens the logs. Visibility: each write request ends with a soft commit, so the next search sees it,
 * and a replaced document is never seen half-written.
 *
 * <p>Bulk writes go out in batches of {@code batchSize}; at most {@code maxConcurrentUpdates} requests are in flight
 * from this store and further writers wait, which is the back-pressure on ingestion.
 */
public final class SolrCloudVectorStore implements VectorStore {

    private final SolrNodes nodes;
    private final SolrCloudConfig cluster;
    private final IndexConfig config;
    private final SolrChunks chunks;
    private final Semaphore updates;
    private final AtomicLong written = new AtomicLong();

    private SolrCloudVectorStore(SolrNodes nodes, SolrCloudConfig cluster, IndexConfig config) {
        this.nodes = nodes;
        this.cluster = cluster;
        this.config = config;
        this.chunks = new SolrChunks(cluster.coLocateTenants());
        this.updates = new Semaphore(cluster.maxConcurrentUpdates(), true);
    }

    /**
     * Opens the collection, creating it (and its configset) when absent. Fails when the collection exists with
     * another vector dimension, similarity or HNSW setting.
     */
    public static SolrCloudVectorStore open(SolrCloudConfig cluster, IndexConfig config) throws IOException {
        return open(cluster, config, "");
    }

    /**
     * As {@link #open(SolrCloudConfig, IndexConfig)}, for vectors of the named embedding model: the model is part of
     * the configset's name, so opening the collection with vectors of another model of the same dimension fails too.
     */
    public static SolrCloudVectorStore open(SolrCloudConfig cluster, IndexConfig config, String embeddingModel)
            throws IOException {
        var nodes = new SolrNodes(cluster);
        try {
            new SolrCollection(nodes, cluster, config, ChunkConfigSet.name(config, embeddingModel)).ensure();
            return new SolrCloudVectorStore(nodes, cluster, config);
        } catch (IOException | RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    public SolrCloudConfig cluster() {
        return cluster;
    }

    @Override
    public void add(List<ChunkDocument> documents) throws IOException {
        // Converted (and so checked) first: a rejected chunk fails the call before anything is written.
        List<SolrInputDocument> solr = documents.stream().map(this::toSolr).toList();
        for (int from = 0; from < solr.size(); from += cluster.batchSize()) {
            var request = new UpdateRequest();
            request.add(solr.subList(from, Math.min(solr.size(), from + cluster.batchSize())));
            update(request);
        }
    }

    @Override
    public void replaceDocument(String tenant, String documentId, List<ChunkDocument> documents) throws IOException {
        requireNonBlank(tenant, "tenant");
        requireNonBlank(documentId, "documentId");
        for (ChunkDocument chunk : documents) {
            if (!chunk.tenant().equals(tenant) || !chunk.documentId().equals(documentId)) {
                throw new IllegalArgumentException("chunk '" + chunk.chunkId() + "' belongs to document '"
                        + chunk.documentId() + "' of tenant '" + chunk.tenant() + "', not to document '" + documentId
                        + "' of tenant '" + tenant + "'");
            }
        }
        List<SolrInputDocument> replacement = documents.stream().map(this::toSolr).toList();
        // Two requests, since SolrJ sends a request's adds before its deletes whatever order they were given in. The
        // delete is not made visible on its own: readers see the old chunks until the soft commit that ends the adds
        // (unless another writer's soft commit falls between the two).
        var delete = new UpdateRequest();
        delete.deleteByQuery(SolrFilters.term(SolrChunks.DOCUMENT_KEY, SolrChunks.documentKey(tenant, documentId)));
        routed(delete, tenant);
        if (replacement.isEmpty()) {
            update(delete);
            return;
        }
        send(delete);
        var add = new UpdateRequest();
        add.add(replacement);
        update(add);
    }

    @Override
    public void deleteDocument(String tenant, String documentId) throws IOException {
        replaceDocument(tenant, documentId, List.of());
    }

    @Override
    public void deleteChunks(String tenant, Collection<String> chunkIds) throws IOException {
        requireNonBlank(tenant, "tenant");
        if (chunkIds.isEmpty()) {
            return;
        }
        String ids = chunkIds.stream().map(id -> SolrFilters.term(SolrChunks.CHUNK_ID, id))
                .collect(Collectors.joining(" OR ", "(", ")"));
        var request = new UpdateRequest();
        request.deleteByQuery("+" + SolrFilters.term(SolrChunks.TENANT, tenant) + " +" + ids);
        routed(request, tenant);
        update(request);
    }

    @Override
    public void deleteMatching(String tenant, Filter filter) throws IOException {
        requireNonBlank(tenant, "tenant");
        var request = new UpdateRequest();
        request.deleteByQuery("+" + SolrFilters.term(SolrChunks.TENANT, tenant) + " +(" + SolrFilters.toQuery(filter)
                + ")");
        routed(request, tenant);
        update(request);
    }

    @Override
    public List<SearchHit> search(SearchRequest request) throws IOException {
        if (request.vector() != null) {
            VectorCheck.require(request.vector(), config, "the query vector");
        }
        return new SolrChunkSearch(nodes, cluster.collection(), chunks).run(request);
    }

    @Override
    public List<SearchHit> documentChunks(String tenant, String documentId) throws IOException {
        requireNonBlank(tenant, "tenant");
        var query = new SolrQuery("*:*")
                .addFilterQuery(SolrFilters.term(SolrChunks.DOCUMENT_KEY, SolrChunks.documentKey(tenant, documentId)))
                .setFields(SolrChunks.RETURNED)
                .setSort(SolrChunks.WRITTEN, SolrQuery.ORDER.asc)
                .addSort(SolrChunks.ID, SolrQuery.ORDER.asc)
                .setRows(1000);
        routed(query, tenant);
        var hits = new ArrayList<SearchHit>();
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        while (true) {
            query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse response = nodes.send(new QueryRequest(query), cluster.collection());
            for (SolrDocument document : response.getResults()) {
                hits.add(SolrChunks.toHit(document, 0, null, null));
            }
            if (cursor.equals(response.getNextCursorMark())) {
                return hits;
            }
            cursor = response.getNextCursorMark();
        }
    }

    @Override
    public long count(String tenant) throws IOException {
        requireNonBlank(tenant, "tenant");
        var query = new SolrQuery("*:*").addFilterQuery(SolrFilters.term(SolrChunks.TENANT, tenant)).setRows(0);
        routed(query, tenant);
        return nodes.send(new QueryRequest(query), cluster.collection()).getResults().getNumFound();
    }

    @Override
    public long count() throws IOException {
        return nodes.send(new QueryRequest(new SolrQuery("*:*").setRows(0)), cluster.collection()).getResults()
                .getNumFound();
    }

    /** Hard commit: writes are already durable in the transaction logs; this turns them into segments. */
    @Override
    public void commit() throws IOException {
        var request = new UpdateRequest();
        request.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, true, false);
        update(request);
    }

    @Override
    public void forceMerge(int maxSegments) throws IOException {
        var request = new UpdateRequest();
        request.setAction(AbstractUpdateRequest.ACTION.OPTIMIZE, true, true, maxSegments);
        update(request);
    }

    /**
     * Exports every chunk, vectors included, into an embedded Lucene index at {@code target}: a backup that
     * {@link VectorStore#restore} brings back on one machine, and the way from this backend to the embedded one.
     * For a cluster-side backup of a large collection use Solr's own BACKUP collection API.
     */
    @Override
    public void backup(Path target) throws IOException {
        new SolrExport(nodes, cluster.collection(), config).into(target);
    }

    @Override
    public void close() throws IOException {
        nodes.close();
    }

    private SolrInputDocument toSolr(ChunkDocument chunk) {
        VectorCheck.require(chunk.vector(), config, "the vector of chunk '" + chunk.chunkId() + "'");
        return chunks.toSolr(chunk, nextWritten());
    }

    /** Increasing across calls, so a document's chunks list in the order they were written. */
    private long nextWritten() {
        long now = System.currentTimeMillis() * 1000;
        return written.updateAndGet(last -> Math.max(last + 1, now));
    }

    /** Sends a write that the next search sees: a soft commit ends it (see the class comment). */
    private void update(UpdateRequest request) throws IOException {
        if (request.getAction() == null) {
            request.setAction(AbstractUpdateRequest.ACTION.COMMIT, false, true, true);
        }
        send(request);
    }

    private void send(UpdateRequest request) throws IOException {
        try {
            updates.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a free update slot", e);
        }
        try {
            nodes.send(request, cluster.collection());
        } finally {
            updates.release();
        }
    }

    private void routed(UpdateRequest request, String tenant) {
        String route = chunks.route(tenant);
        if (route != null) {
            request.setParam(ShardParams._ROUTE_, route);
        }
    }

    private void routed(SolrQuery query, String tenant) {
        String route = chunks.route(tenant);
        if (route != null) {
            query.set(ShardParams._ROUTE_, route);
        }
    }

    private static void requireNonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
