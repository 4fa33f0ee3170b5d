package dev.hanul.index.solrcloud;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the chunk collection lives in SolrCloud and how it is laid out.
 *
 * @param nodes                 base URLs of Solr nodes ({@code http://host:8983/solr}); any node serves any request,
 *                              the next one is tried when one cannot be reached
 * @param collection            the collection of chunks, created on first open when absent
 * @param shards                shards of a new collection: how far one collection spreads its chunks
 * @param replicas              NRT replicas per shard of a new collection: copies that each hold every write (a
 *                              shard survives losing all but one)
 * @param coLocateTenants       each tenant's chunks on one shard (the tenant is the routing prefix of the chunk id),
 *                              so a search asks one shard; false spreads every tenant over all shards (for a few
 *                              tenants each larger than a shard)
 * @param batchSize             chunks per update request of a bulk write
 * @param maxConcurrentUpdates  update requests in flight from this client at once; further writers wait (the
 *                              back-pressure that keeps a bulk ingest from flooding the cluster)
 * @param retryFor              how long a failed request is retried (node down, leader election) before it fails
 * @param requestTimeout        how long one request may take
 */
public record SolrCloudConfig(List<URI> nodes, String collection, int shards, int replicas, boolean coLocateTenants,
                              int batchSize, int maxConcurrentUpdates, Duration retryFor, Duration requestTimeout) {

    public static final String DEFAULT_COLLECTION = "hanul_chunks";

    public SolrCloudConfig {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the SolrCloud chunk store needs at least one node URL, such as "
                    + "http://localhost:8983/solr");
        }
        for (URI node : nodes) {
            if (!"http".equals(node.getScheme()) && !"https".equals(node.getScheme())) {
                throw new IllegalArgumentException("a Solr node URL must start with http:// or https://, got " + node);
            }
        }
        if (collection == null || !collection.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("a Solr collection name is letters, digits, '_', '.' and '-' (not "
                    + "starting with '.' or '-'), got '" + collection + "'");
        }
        requireAtLeastOne(shards, "shards");
        requireAtLeastOne(replicas, "replicas");
        requireAtLeastOne(batchSize, "batchSize");
        requireAtLeastOne(maxConcurrentUpdates, "maxConcurrentUpdates");
        Objects.requireNonNull(retryFor, "retryFor");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** One node URL per entry; 2 shards × 2 replicas, tenants co-located, batches of 500, 4 updates in flight. */
    public static SolrCloudConfig of(List<URI> nodes) {
        return new SolrCloudConfig(nodes, DEFAULT_COLLECTION, 2, 2, true, 500, 4, Duration.ofSeconds(60),
                Duration.ofSeconds(60));
    }

    public SolrCloudConfig withCollection(String collection) {
        return new SolrCloudConfig(nodes, collection, shards, replicas, coLocateTenants, batchSize,
                maxConcurrentUpdates, retryFor, requestTimeout);
    }

    public SolrCloudConfig withLayout(int shards, int replicas) {
        return new SolrCloudConfig(nodes, collection, shards, replicas, coLocateTenants, batchSize,
                maxConcurrentUpdates, retryFor, requestTimeout);
    }

    public SolrCloudConfig withBatchSize(int batchSize) {
        return new SolrCloudConfig(nodes, collection, shards, replicas, coLocateTenants, batchSize,
                maxConcurrentUpdates, retryFor, requestTimeout);
    }

    private static void requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("SolrCloud " + name + " must be at least 1, got " + value);
        }
    }
}
