package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@link TenantIsolationContract} on a 3-node SolrCloud cluster (2 shards × 2 replicas). */
class SolrCloudTenantIsolationTest extends TenantIsolationContract {

    private final List<String> created = new ArrayList<>();

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        SolrCloudConfig cluster = SolrCloudTestCluster.get().newCollection("tenantisolation");
        created.add(cluster.collection());
        return SolrCloudVectorStore.open(cluster, config);
    }

    @Override
    int iterations() {
        return 200;
    }

    @AfterEach
    void deleteCollections() {
        created.forEach(SolrCloudTestCluster.get()::deleteCollection);
        created.clear();
    }
}
