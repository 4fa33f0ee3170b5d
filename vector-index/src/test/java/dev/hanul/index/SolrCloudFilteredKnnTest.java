package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link FilteredKnnContract} on a 3-node SolrCloud cluster (2 shards × 2 replicas). */
class SolrCloudFilteredKnnTest extends FilteredKnnContract {

    private final List<String> created = new ArrayList<>();

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        SolrCloudConfig cluster = SolrCloudTestCluster.get().newCollection("filteredknn");
        created.add(cluster.collection());
        return SolrCloudVectorStore.open(cluster, config);
    }

    @AfterAll
    void deleteCollections() {
        created.forEach(SolrCloudTestCluster.get()::deleteCollection);
        created.clear();
    }
}
