package dev.hanul.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@link VectorStore} on one {@link LuceneIndex} with the {@link ChunkSchema}. */
final class LuceneVectorStore implements VectorStore {

    private final LuceneIndex index;

    private LuceneVectorStore(LuceneIndex index) {
        this.index = index;
    }

    static LuceneVectorStore open(Path directory, IndexConfig config) throws IOException {
        return new LuceneVectorStore(LuceneIndex.open(directory, config, ChunkSchema.NAME, ChunkSchema.analyzer()));
    }

    @Override
    public void add(List<ChunkDocument> chunks) throws IOException {
        List<Document> documents = documents(chunks);
        index.write(writer -> writer.addDocuments(documents));
    }

    @Override
    public void replaceDocument(String tenant, String documentId, List<ChunkDocument> chunks) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        ChunkDocument.requireNonBlank(documentId, "documentId");
        for (ChunkDocument chunk : chunks) {
            if (!chunk.tenant().equals(tenant) || !chunk.documentId().equals(documentId)) {
                throw new IllegalArgumentException("chunk '" + chunk.chunkId() + "' belongs to document '"
                        + chunk.documentId() + "' of tenant '" + chunk.tenant() + "', not to document '" + documentId
                        + "' of tenant '" + tenant + "'");
            }
        }
        List<Document> documents = documents(chunks);
        Term key = ChunkSchema.documentKey(tenant, documentId);
        // An update with no documents trips an internal accounting assertion in Lucene 10.5; it means delete anyway.
        index.write(writer -> {
            if (documents.isEmpty()) {
                writer.deleteDocuments(key);
            } else {
                writer.updateDocuments(key, documents);
            }
        });
    }

    @Override
    public void deleteDocument(String tenant, String documentId) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        ChunkDocument.requireNonBlank(documentId, "documentId");
        index.write(writer -> writer.deleteDocuments(ChunkSchema.documentKey(tenant, documentId)));
    }

    @Override
    public void deleteChunks(String tenant, Collection<String> chunkIds) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        if (chunkIds.isEmpty()) {
            return;
        }
        Query chunks = new TermInSetQuery(ChunkSchema.CHUNK_ID, chunkIds.stream().map(BytesRef::new).toList());
        Query scoped = new BooleanQuery.Builder().add(ChunkSchema.tenant(tenant), BooleanClause.Occur.FILTER)
                .add(chunks, BooleanClause.Occur.FILTER).build();
        index.write(writer -> writer.deleteDocuments(scoped));
    }

    @Override
    public void deleteMatching(String tenant, Filter filter) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        index.write(writer -> writer.deleteDocuments(FilterQueries.scoped(ChunkSchema.tenant(tenant), filter)));
    }

    @Override
    public List<SearchHit> search(SearchRequest request) throws IOException {
        if (request.vector() != null) {
            VectorCheck.require(request.vector(), index.config(), "the query vector");
        }
        return index.search(searcher -> new ChunkSearch(searcher, index.analyzer(), index.config()).run(request));
    }

    @Override
    public List<SearchHit> documentChunks(String tenant, String documentId) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        ChunkDocument.requireNonBlank(documentId, "documentId");
        return index.search(searcher -> {
            TermQuery query = new TermQuery(ChunkSchema.documentKey(tenant, documentId));
            // A document's chunks are written as one block, so index order is the order they were given in.
            TopDocs top = searcher.search(query, Math.max(1, searcher.count(query)), Sort.INDEXORDER);
            StoredFields stored = searcher.storedFields();
            List<SearchHit> chunks = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                chunks.add(ChunkSchema.toHit(stored.document(hit.doc), 0, null, null));
            }
            return chunks;
        });
    }

    @Override
    public long count(String tenant) throws IOException {
        ChunkDocument.requireNonBlank(tenant, "tenant");
        return index.search(searcher -> searcher.count(ChunkSchema.tenant(tenant)));
    }

    @Override
    public long count() throws IOException {
        return index.search(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    @Override
    public void forceMerge(int maxSegments) throws IOException {
        index.forceMerge(maxSegments);
    }

    @Override
    public void commit() throws IOException {
        index.commit();
    }

    @Override
    public void backup(Path target) throws IOException {
        index.backup(target);
    }

    @Override
    public void close() throws IOException {
        index.close();
    }

    /** Validates every chunk before any is written, so a bad chunk fails the whole call and writes nothing. */
    private List<Document> documents(List<ChunkDocument> chunks) {
        return chunks.stream().map(chunk -> {
            VectorCheck.require(chunk.vector(), index.config(), "the vector of chunk '" + chunk.chunkId() + "'");
            return ChunkSchema.toDocument(chunk, index.config());
        }).toList();
    }
}
