package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.hanul.index.TestVectors.chunk;
import static dev.hanul.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chunk-store contract on a 3-node SolrCloud cluster (2 shards × 2 replicas), and what only it does. */
class SolrCloudVectorStoreTest extends VectorStoreContract {

    private final List<String> created = new ArrayList<>();

    @TempDir
    Path backup;

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        return open(SolrCloudTestCluster.get().newCollection("contract"), config);
    }

    private VectorStore open(SolrCloudConfig cluster, IndexConfig config) throws IOException {
        created.add(cluster.collection());
        return SolrCloudVectorStore.open(cluster, config);
    }

    @AfterEach
    void deleteCollections() {
        created.forEach(SolrCloudTestCluster.get()::deleteCollection);
        created.clear();
    }

    @Test
    void reopeningACollectionWithAnotherDimensionFailsNamingTheFix() throws Exception {
        SolrCloudConfig cluster = SolrCloudTestCluster.get().newCollection("shape");
        open(cluster, IndexConfig.of(DIM)).close();
        try (var same = open(cluster, IndexConfig.of(DIM))) {
            assertThat(same.count()).isZero();
        }
        assertThatThrownBy(() -> open(cluster, IndexConfig.of(16)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("d8").hasMessageContaining("d16")
                .hasMessageContaining("hanul.index.solrcloud.collection");
    }

    @Test
    void backupExportsTheCollectionToAnEmbeddedIndexThatAnswersTheSame() throws Exception {
        float[] query = unit(random, DIM);
        try (var store = open(IndexConfig.of(DIM))) {
            for (int i = 0; i < 30; i++) {
                store.add(List.of(chunk(i % 2 == 0 ? "acme" : "other", "d" + i / 3, "c" + i,
                        "chunk " + i + " about lucene segments", unit(random, DIM), null)));
            }
            List<SearchHit> expected = store.search(SearchRequest.vector("acme", query).withTopK(5));
            store.backup(backup.resolve("copy"));

            try (var copy = VectorStore.open(backup.resolve("copy"), IndexConfig.of(DIM))) {
                assertThat(copy.count()).isEqualTo(30);
                assertThat(copy.count("acme")).isEqualTo(15);
                assertThat(copy.search(SearchRequest.vector("acme", query).withTopK(5)))
                        .extracting(SearchHit::chunkId)
                        .containsExactlyElementsOf(expected.stream().map(SearchHit::chunkId).toList());
            }
        }
    }
}
