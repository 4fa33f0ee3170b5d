package dev.hanul.retrieval;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the chunk index lives ({@code hanul.index.}).
 *
 * @param backend   {@code lucene}: an embedded Lucene index under the data directory (one machine, one replica);
 *                  {@code solrcloud}: a SolrCloud collection shared by every Hanul replica (docs/scaling.md)
 * @param solrcloud the collection, when the backend is solrcloud
 */
@ConfigurationProperties("hanul.index")
public record ChunkIndexProperties(@DefaultValue("lucene") Backend backend, @DefaultValue SolrCloud solrcloud) {

    public enum Backend {
        LUCENE,
        SOLRCLOUD
    }

    /**
     * @param nodes                Solr base URLs, comma-separated ({@code http://solr1:8983/solr,...}); any subset
     *                             will do, the others are found through them
     * @param collection           created on first start when absent (with its configset)
     * @param shards               shards of a new collection
     * @param replicas             NRT replicas per shard of a new collection
     * @param coLocateTenants      each tenant's chunks on one shard, so its searches ask one shard
     * @param batchSize            chunks per update request
     * @param maxConcurrentUpdates update requests in flight from this replica; ingestion waits beyond it
     * @param retryFor             how long a request is retried while nodes fail over
     * @param requestTimeout       how long one request may take
     */
    public record SolrCloud(@DefaultValue("") List<URI> nodes, @DefaultValue(SolrCloudConfig.DEFAULT_COLLECTION)
                            String collection, @DefaultValue("2") int shards, @DefaultValue("2") int replicas,
                            @DefaultValue("true") boolean coLocateTenants, @DefaultValue("500") int batchSize,
                            @DefaultValue("4") int maxConcurrentUpdates, @DefaultValue("60s") Duration retryFor,
                            @DefaultValue("60s") Duration requestTimeout) {

        SolrCloudConfig config() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("hanul.index.backend=solrcloud needs the Solr nodes: set "
                        + "hanul.index.solrcloud.nodes=http://solr1:8983/solr,http://solr2:8983/solr (or "
                        + "HANUL_INDEX_SOLRCLOUD_NODES), or go back to hanul.index.backend=lucene");
            }
            return new SolrCloudConfig(nodes, collection, shards, replicas, coLocateTenants, batchSize,
                    maxConcurrentUpdates, retryFor, requestTimeout);
        }
    }
}
