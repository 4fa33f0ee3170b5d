package dev.hanul.langchain4j;

import dev.hanul.index.ChunkDocument;
import dev.hanul.index.Metadata;
import dev.hanul.index.MetadataValue;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorStore;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Hanul's chunk index as a LangChain4j {@link EmbeddingStore}, for one tenant: the index that ingestion writes and
 * RAG chat reads. The embeddings must be Hanul's embedder's ({@link HanulLangChain4jEmbeddingModel}), since the index
 * holds one model's vectors; scores are LangChain4j's relevance, 1 for identical and 0 for opposite.
 *
 * <p>Each embedding is a chunk whose id is the embedding's id; the metadata key {@value #DOCUMENT_ID} (when given)
 * names the document it belongs to, otherwise it is a document of its own. LangChain4j's metadata holds single
 * values, so a multi-valued key of a chunk Hanul ingested (tags) comes back as its values joined by ", ", and a
 * timestamp as ISO-8601 text.
 */
public final class HanulEmbeddingStore implements EmbeddingStore<TextSegment> {

    public static final String DOCUMENT_ID = "document_id";

    private final VectorStore chunks;
    private final String tenant;

    public HanulEmbeddingStore(VectorStore chunks, String tenant) {
        this.chunks = Objects.requireNonNull(chunks, "chunk store");
        this.tenant = Objects.requireNonNull(tenant, "tenant");
    }

    /** The same index, seen by another tenant. */
    public HanulEmbeddingStore forTenant(String tenant) {
        return new HanulEmbeddingStore(chunks, tenant);
    }

    @Override
    public String add(Embedding embedding) {
        return add(embedding, null);
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment segment) {
        String id = UUID.randomUUID().toString();
        addAll(List.of(id), List.of(embedding), segment == null ? null : List.of(segment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> segments) {
        if (ids.size() != embeddings.size() || segments != null && segments.size() != embeddings.size()) {
            throw new IllegalArgumentException("ids (%d), embeddings (%d) and segments (%s) must be as many"
                    .formatted(ids.size(), embeddings.size(), segments == null ? "none" : segments.size()));
        }
        var written = new ArrayList<ChunkDocument>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TextSegment segment = segments == null ? null : segments.get(i);
            Map<String, Object> metadata = segment == null ? Map.of() : segment.metadata().toMap();
            Object documentId = metadata.get(DOCUMENT_ID);
            var values = new LinkedHashMap<String, Object>();
            metadata.forEach((key, value) -> {
                if (!key.equals(DOCUMENT_ID) && value != null) {
                    values.put(key, LangChain4jFilters.value(value));
                }
            });
            written.add(new ChunkDocument(ids.get(i), documentId == null ? ids.get(i) : documentId.toString(),
                    tenant, segment == null ? "" : segment.text(), embeddings.get(i).vector(),
                    Metadata.of(values)));
        }
        write(() -> {
            // Adding an id again replaces it, as LangChain4j's other stores do.
            chunks.deleteChunks(tenant, ids);
            chunks.add(written);
        });
    }

    @Override
    public void remove(String id) {
        removeAll(List.of(id));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        write(() -> chunks.deleteChunks(tenant, ids));
    }

    @Override
    public void removeAll(dev.langchain4j.store.embedding.filter.Filter filter) {
        var hanul = LangChain4jFilters.toHanul(Objects.requireNonNull(filter, "filter"));
        write(() -> chunks.deleteMatching(tenant, hanul));
    }

    @Override
    public void removeAll() {
        write(() -> chunks.deleteMatching(tenant, dev.hanul.index.Filter.NONE));
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        var search = SearchRequest.vector(tenant, request.queryEmbedding().vector())
                .withTopK(request.maxResults())
                .withFilter(LangChain4jFilters.toHanul(request.filter()))
                .withMinScore(request.minScore());
        try {
            return new EmbeddingSearchResult<>(chunks.search(search).stream().map(HanulEmbeddingStore::match)
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Hanul's index could not be searched: " + e.getMessage(), e);
        }
    }

    private static EmbeddingMatch<TextSegment> match(SearchHit hit) {
        var metadata = new LinkedHashMap<String, Object>();
        hit.metadata().values().forEach((key, values) -> metadata.put(key, values.size() == 1
                ? plain(values.getFirst())
                : values.stream().map(v -> String.valueOf(plain(v))).collect(Collectors.joining(", "))));
        metadata.put(DOCUMENT_ID, hit.documentId());
        return new EmbeddingMatch<>(hit.score(), hit.chunkId(), null,
                TextSegment.from(hit.text(), dev.langchain4j.data.document.Metadata.from(metadata)));
    }

    private static Object plain(MetadataValue value) {
        return switch (value) {
            case MetadataValue.Keyword(String s) -> s;
            case MetadataValue.LongValue(long l) -> l;
            case MetadataValue.DoubleValue(double d) -> d;
            case MetadataValue.Timestamp(Instant t) -> t.toString();
        };
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
