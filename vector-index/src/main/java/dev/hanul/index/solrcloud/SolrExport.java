package dev.hanul.index.solrcloud;

import dev.hanul.index.ChunkDocument;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.SearchHit;
import dev.hanul.index.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;

/** Copies every chunk of the collection, vectors included, into a new embedded Lucene store (a cursor over ids). */
final class SolrExport {

    private static final int PAGE = 500;

    private final SolrNodes nodes;
    private final String collection;
    private final IndexConfig config;

    SolrExport(SolrNodes nodes, String collection, IndexConfig config) {
        this.nodes = nodes;
        this.collection = collection;
        this.config = config;
    }

    void into(Path target) throws IOException {
        if (Files.exists(target)) {
            try (var entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup target " + target + " must be new or empty");
                }
            }
        }
        var query = new SolrQuery("*:*")
                .setFields(SolrChunks.RETURNED + "," + SolrChunks.VECTOR)
                .setSort(SolrChunks.ID, SolrQuery.ORDER.asc)
                .setRows(PAGE);
        try (VectorStore copy = VectorStore.open(target, config)) {
            String cursor = CursorMarkParams.CURSOR_MARK_START;
            while (true) {
                query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
                QueryResponse response = nodes.send(new QueryRequest(query), collection);
                var page = new ArrayList<ChunkDocument>(PAGE);
                for (SolrDocument document : response.getResults()) {
                    page.add(chunk(document));
                }
                copy.add(page);
                if (cursor.equals(response.getNextCursorMark())) {
                    break;
                }
                cursor = response.getNextCursorMark();
            }
            copy.commit();
        }
    }

    private static ChunkDocument chunk(SolrDocument document) {
        SearchHit hit = SolrChunks.toHit(document, 0, null, null);
        Collection<Object> stored = document.getFieldValues(SolrChunks.VECTOR);
        List<Object> values = new ArrayList<>(stored);
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = ((Number) values.get(i)).floatValue();
        }
        return new ChunkDocument(hit.chunkId(), hit.documentId(), hit.tenant(), hit.text(), vector, hit.metadata());
    }
}
