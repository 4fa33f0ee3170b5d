package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link Bm25Contract} on a 3-node SolrCloud cluster (2 shards × 2 replicas). */
class SolrCloudBm25Test extends Bm25Contract {

    private final List<String> created = new ArrayList<>();

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        SolrCloudConfig cluster = SolrCloudTestCluster.get().newCollection("bm25");
        created.add(cluster.collection());
        return SolrCloudVectorStore.open(cluster, config);
    }

    @AfterEach
    void deleteCollections() {
        created.forEach(SolrCloudTestCluster.get()::deleteCollection);
        created.clear();
    }
}
