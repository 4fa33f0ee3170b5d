package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.hanul.index.TestVectors.chunk;
import static dev.hanul.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What every chunk-store backend must do, whatever holds the chunks: run by {@link VectorStoreTest} on the embedded
 * Lucene store and by SolrCloudVectorStoreTest on a SolrCloud cluster.
 */
abstract class VectorStoreContract {

    /** A new, empty store of this backend; the test closes it. */
    abstract VectorStore open(IndexConfig config) throws IOException;

    static final int DIM = 8;


    final Random random = new Random(7);

    @Test
    void addedChunksAreSearchableAtOnceWithTheirFields() throws Exception {
        float[] vector = unit(random, DIM);
        var metadata = Metadata.of(Map.of("source", "guide.pdf", "page", 3, "tags", List.of("ops", "gpu"),
                "score", 0.5, "published", Instant.parse("2026-01-02T03:04:05.678Z")));
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("acme", "doc-1", "doc-1#0", "Paged attention keeps the KV cache in blocks.",
                    vector, metadata)));

            List<SearchHit> hits = store.search(SearchRequest.vector("acme", vector));

            assertThat(hits).hasSize(1);
            SearchHit hit = hits.getFirst();
            assertThat(hit.chunkId()).isEqualTo("doc-1#0");
            assertThat(hit.documentId()).isEqualTo("doc-1");
            assertThat(hit.tenant()).isEqualTo("acme");
            assertThat(hit.text()).isEqualTo("Paged attention keeps the KV cache in blocks.");
            assertThat(hit.language()).isEqualTo(TextLanguage.ENGLISH);
            assertThat(hit.metadata()).isEqualTo(metadata);
            assertThat(hit.score()).isCloseTo(1.0, within(1e-5));
            assertThat(hit.vectorRank()).isEqualTo(new RetrieverRank(1, (float) hit.score()));
            assertThat(hit.textRank()).isNull();
        }
    }

    @Test
    void chunksAreDeletedByIdAndByFilterWithinTheirTenantOnly() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            for (String tenant : List.of("acme", "other")) {
                store.add(List.of(
                        chunk(tenant, "doc-1", "a", "one", unit(random, DIM), Metadata.of(Map.of("kind", "faq"))),
                        chunk(tenant, "doc-1", "b", "two", unit(random, DIM), Metadata.of(Map.of("kind", "manual"))),
                        chunk(tenant, "doc-2", "c", "three", unit(random, DIM), Metadata.of(Map.of("kind", "faq")))));
            }

            store.deleteChunks("acme", List.of("b", "absent"));
            assertThat(store.search(SearchRequest.vector("acme", unit(random, DIM))).stream().map(SearchHit::chunkId))
                    .containsExactlyInAnyOrder("a", "c");

            store.deleteMatching("acme", Filter.exact("kind", "faq"));
            assertThat(store.count("acme")).isZero();
            assertThat(store.count("other")).as("another tenant's chunks stay").isEqualTo(3);
        }
    }

    @Test
    void replaceSwapsAllChunksOfOneDocumentAndDeleteRemovesThem() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.replaceDocument("acme", "doc-1", List.of(
                    chunk("acme", "doc-1", "a", "first version one", unit(random, DIM), null),
                    chunk("acme", "doc-1", "b", "first version two", unit(random, DIM), null)));
            store.replaceDocument("acme", "doc-2", List.of(
                    chunk("acme", "doc-2", "c", "another document", unit(random, DIM), null)));
            assertThat(store.count("acme")).isEqualTo(3);

            store.replaceDocument("acme", "doc-1", List.of(
                    chunk("acme", "doc-1", "a2", "second version", unit(random, DIM), null)));
            assertThat(store.count("acme")).isEqualTo(2);
            assertThat(store.search(SearchRequest.text("acme", "version")))
                    .extracting(SearchHit::chunkId).containsExactly("a2");

            store.deleteDocument("acme", "doc-1");
            assertThat(store.count("acme")).isEqualTo(1);
            assertThat(store.search(SearchRequest.text("acme", "version"))).isEmpty();
            assertThat(store.search(SearchRequest.text("acme", "another")))
                    .extracting(SearchHit::documentId).containsExactly("doc-2");
        }
    }

    @Test
    void documentChunksAreTheDocumentsChunksOfThatTenantInWrittenOrder() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.replaceDocument("acme", "doc-1", List.of(
                    chunk("acme", "doc-1", "doc-1#0", "zebra first", unit(random, DIM), null),
                    chunk("acme", "doc-1", "doc-1#1", "apple second", unit(random, DIM), null),
                    chunk("acme", "doc-1", "doc-1#2", "mango third", unit(random, DIM), null)));
            store.replaceDocument("acme", "doc-2", List.of(
                    chunk("acme", "doc-2", "doc-2#0", "other document", unit(random, DIM), null)));
            store.replaceDocument("globex", "doc-1", List.of(
                    chunk("globex", "doc-1", "doc-1#0", "other tenant", unit(random, DIM), null)));

            assertThat(store.documentChunks("acme", "doc-1")).extracting(SearchHit::chunkId, SearchHit::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("doc-1#0", "zebra first"),
                            org.assertj.core.groups.Tuple.tuple("doc-1#1", "apple second"),
                            org.assertj.core.groups.Tuple.tuple("doc-1#2", "mango third"));
            assertThat(store.documentChunks("globex", "doc-1")).extracting(SearchHit::text)
                    .containsExactly("other tenant");
            assertThat(store.documentChunks("acme", "missing")).isEmpty();

            store.replaceDocument("acme", "doc-1", List.of(
                    chunk("acme", "doc-1", "doc-1#0", "rewritten", unit(random, DIM), null)));
            assertThat(store.documentChunks("acme", "doc-1")).extracting(SearchHit::text).containsExactly("rewritten");
        }
    }

    @Test
    void sameDocumentIdInAnotherTenantIsUntouchedByReplaceAndDelete() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("acme", "doc", "x", "acme text", unit(random, DIM), null),
                    chunk("globex", "doc", "x", "globex text", unit(random, DIM), null)));

            store.replaceDocument("acme", "doc", List.of());
            assertThat(store.count("acme")).isZero();
            assertThat(store.count("globex")).isEqualTo(1);

            // Tenant "1:a" with document "b" must not collide with tenant "1" and document ":ab" or similar keys.
            store.add(List.of(chunk("1:a", "b", "k1", "one", unit(random, DIM), null),
                    chunk("1", ":ab", "k2", "two", unit(random, DIM), null)));
            store.deleteDocument("1", ":ab");
            assertThat(store.count("1:a")).isEqualTo(1);
            assertThat(store.count("1")).isZero();
        }
    }

    @Test
    void replaceRejectsChunksOfAnotherDocument() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            var foreign = chunk("acme", "doc-2", "c", "text", unit(random, DIM), null);

            assertThatThrownBy(() -> store.replaceDocument("acme", "doc-1", List.of(foreign)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'doc-2'").hasMessageContaining("'doc-1'");
        }
    }

    @Test
    void vectorsOfTheWrongShapeAreRejectedNamingBothDimensions() throws Exception {
        try (var store = open(IndexConfig.of(DIM))) {
            assertThatThrownBy(() -> store.add(List.of(chunk("acme", "d", "c", "t", new float[3], null))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chunk 'c'").hasMessageContaining("3 dimensions")
                    .hasMessageContaining("dimension 8");
            assertThatThrownBy(() -> store.search(SearchRequest.vector("acme", new float[DIM])))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all zeros");
            assertThat(store.count("acme")).as("a rejected batch writes nothing").isZero();
        }
    }

    @Test
    void hybridSearchFusesBm25AndKnnRanks() throws Exception {
        float[] query = unit(random, DIM);
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("acme", "d", "lucene-1", "Lucene segments hold HNSW graphs", unit(random, DIM), null),
                    chunk("acme", "d", "gpu", "CUDA kernels for attention", query, null),
                    chunk("acme", "d", "lucene-2", "Lucene merges segments", unit(random, DIM), null)));

            List<SearchHit> hits = store.search(SearchRequest.hybrid("acme", "lucene segments", query)
                    .withFusion(new HybridFusion(60, 1, 1)));

            assertThat(hits).hasSize(3);
            for (SearchHit hit : hits) {
                double expected = (hit.textRank() == null ? 0 : 1.0 / (60 + hit.textRank().rank()))
                        + (hit.vectorRank() == null ? 0 : 1.0 / (60 + hit.vectorRank().rank()));
                assertThat(hit.score()).as("fused score of %s", hit.chunkId()).isCloseTo(expected, within(1e-12));
                assertThat(hit.vectorRank()).as("kNN ranks every chunk of this small store").isNotNull();
            }
            SearchHit gpu = hits.stream().filter(h -> h.chunkId().equals("gpu")).findFirst().orElseThrow();
            assertThat(gpu.textRank()).as("no query term in its text").isNull();
            assertThat(gpu.vectorRank().rank()).isEqualTo(1);
            assertThat(hits).extracting(SearchHit::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        }
    }

    @Test
    void minScoreDropsWeakHits() throws Exception {
        float[] query = unit(random, DIM);
        float[] opposite = query.clone();
        for (int i = 0; i < DIM; i++) {
            opposite[i] = -opposite[i];
        }
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("acme", "d", "near", "near", query, null),
                    chunk("acme", "d", "far", "far", opposite, null)));

            assertThat(store.search(SearchRequest.vector("acme", query))).hasSize(2);
            assertThat(store.search(SearchRequest.vector("acme", query).withMinScore(0.5)))
                    .extracting(SearchHit::chunkId).containsExactly("near");
        }
    }
}
