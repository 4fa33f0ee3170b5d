package dev.hanul.springai;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * Hanul's chunk index as a Spring AI {@link VectorStore}, for one tenant: the same Lucene index that ingestion writes
 * and RAG chat reads, so a Spring AI application retrieves the documents uploaded to Hanul, and what it adds is
 * searchable through Hanul's APIs under the same tenant. Searches are kNN over the embedder's vectors (with the
 * model's query prefix), filtered inside the search, and scored as Spring AI expects: 1 is identical, 0 opposite.
 *
 * <p>A Spring AI document becomes one chunk whose id is the document's id. Its metadata key {@value #DOCUMENT_ID}
 * (when given) names the Hanul document it belongs to, so that several chunks can make up one document; without it
 * the chunk is a document of its own. Chunks that Hanul's ingestion wrote come back with their chunk id and that key.
 * Documents added here are in the index only: Hanul's document list (/api/documents) shows what was uploaded.
 */
public final class HanulVectorStore implements VectorStore {

    /** The metadata key that names a chunk's document. */
    public static final String DOCUMENT_ID = "document_id";
    /** The metadata key Spring AI's stores report a hit's distance under: 1 - score. */
    public static final String DISTANCE = "distance";

    private final dev.hanul.index.VectorStore chunks;
    private final Embedder embedder;
    private final String tenant;

    public HanulVectorStore(dev.hanul.index.VectorStore chunks, Embedder embedder, String tenant) {
        this.chunks = Objects.requireNonNull(chunks, "chunk store");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** The same index, seen by another tenant. */
    public HanulVectorStore forTenant(String tenant) {
        return new HanulVectorStore(chunks, embedder, tenant);
    }

    public String tenant() {
        return tenant;
    }

    @Override
    public String getName() {
        return "HanulVectorStore";
    }

    @Override
    public void add(List<Document> documents) {
        List<String> texts = new ArrayList<>(documents.size());
        for (Document document : documents) {
            if (!document.isText()) {
                throw new IllegalArgumentException("Hanul's index holds text; document " + document.getId()
                        + " carries media only");
            }
            texts.add(document.getText());
        }
        List<float[]> vectors = embedder.embedPassages(texts);
        var written = new ArrayList<ChunkDocument>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            Object documentId = document.getMetadata().get(DOCUMENT_ID);
            written.add(new ChunkDocument(document.getId(), documentId == null ? document.getId()
                    : documentId.toString(), tenant, texts.get(i), vectors.get(i),
                    SpringAiMetadata.toHanul(document.getMetadata(), List.of(DOCUMENT_ID, DISTANCE))));
        }
        write(() -> {
            // Spring AI's add replaces a document that has the same id, as its other stores do.
            chunks.deleteChunks(tenant, written.stream().map(ChunkDocument::chunkId).toList());
            chunks.add(written);
        });
    }

    @Override
    public void delete(List<String> idList) {
        write(() -> chunks.deleteChunks(tenant, idList));
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        dev.hanul.index.Filter filter = SpringAiFilters.toHanul(Objects.requireNonNull(filterExpression,
                "filter expression"));
        write(() -> chunks.deleteMatching(tenant, filter));
    }

    @Override
    public List<Document> similaritySearch(org.springframework.ai.vectorstore.SearchRequest request) {
        var search = SearchRequest.vector(tenant, embedder.embedQuery(request.getQuery()))
                .withTopK(request.getTopK())
                .withFilter(SpringAiFilters.toHanul(request.getFilterExpression()))
                .withMinScore(request.getSimilarityThreshold());
        try {
            return chunks.search(search).stream().map(HanulVectorStore::document).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Hanul's index could not be searched: " + e.getMessage(), e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) chunks);
    }

    private static Document document(SearchHit hit) {
        Map<String, Object> metadata = SpringAiMetadata.toSpringAi(hit.metadata());
        metadata.put(DOCUMENT_ID, hit.documentId());
        metadata.put(DISTANCE, 1 - hit.score());
        return Document.builder().id(hit.chunkId()).text(hit.text()).metadata(metadata).score(hit.score()).build();
    }

    private void write(IndexWrite write) {
        try {
            write.run();
            chunks.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("Hanul's index could not be written: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IndexWrite {
        void run() throws IOException;
    }
}
