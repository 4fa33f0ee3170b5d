package dev.hanul.index.solrcloud;

import dev.hanul.index.IndexConfig;
import java.io.IOException;
import java.util.List;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.response.ConfigSetAdminResponse;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

/**
 * Makes sure the chunk collection exists with the configset of this {@link IndexConfig}: uploads the configset and
 * creates the collection (compositeId router, the configured shards and NRT replicas) when absent, and refuses a
 * collection created for other vectors. Several Hanul replicas may start at once: whoever loses the race to create
 * finds the collection there.
 */
final class SolrCollection {

    private final SolrNodes nodes;
    private final SolrCloudConfig cluster;
    private final IndexConfig config;
    private final String configName;

    SolrCollection(SolrNodes nodes, SolrCloudConfig cluster, IndexConfig config, String configName) {
        this.nodes = nodes;
        this.cluster = cluster;
        this.config = config;
        this.configName = configName;
    }

    void ensure() throws IOException {
        if (!exists()) {
            if (!configSets().contains(configName)) {
                upload(configName);
            }
            try {
                var create = CollectionAdminRequest.createCollection(cluster.collection(), configName,
                        cluster.shards(), cluster.replicas());
                create.setRouterName("compositeId");
                create.setWaitForFinalState(true);
                nodes.send(create, null);
            } catch (IllegalArgumentException | IOException e) {
                if (!exists()) {
                    throw e;
                }
            }
        }
        String actual = configName();
        if (!configName.equals(actual)) {
            throw new IllegalStateException("The Solr collection " + cluster.collection() + " was created with "
                    + "configset " + actual + ", but this index needs " + configName + " (embedding model, vector "
                    + "dimension, similarity and HNSW settings are fixed per collection). Go back to the settings the "
                    + "collection was made with (hanul.embedding.model), set hanul.index.solrcloud.collection to a new "
                    + "collection name, or delete the old collection and ingest the documents again.");
        }
    }

    private boolean exists() throws IOException {
        return nodes.call(CollectionAdminRequest::listCollections).contains(cluster.collection());
    }

    private List<String> configSets() throws IOException {
        ConfigSetAdminResponse.List list = nodes.send(new ConfigSetAdminRequest.List(), null);
        return list.getConfigSets();
    }

    private void upload(String configName) throws IOException {
        var upload = new ConfigSetAdminRequest.Upload()
                .setConfigSetName(configName)
                .setUploadStream(new ContentStreamBase.ByteArrayStream(ChunkConfigSet.zip(config, configName),
                        configName + ".zip", "application/octet-stream"));
        try {
            nodes.send(upload, null);
        } catch (IllegalArgumentException e) {
            // Another replica uploaded it first.
            if (!configSets().contains(configName)) {
                throw e;
            }
        }
    }

    private String configName() throws IOException {
        var status = CollectionAdminRequest.getClusterStatus().setCollectionName(cluster.collection());
        NamedList<Object> response = nodes.send(status, null).getResponse();
        Object name = member(member(response.findRecursive("cluster", "collections"), cluster.collection()),
                "configName");
        if (name == null) {
            throw new IOException("Solr's cluster status does not name the configset of collection "
                    + cluster.collection());
        }
        return name.toString();
    }

    /** A member of a response object, which SolrJ gives as a NamedList or, for some responses, a Map. */
    private static Object member(Object parent, String name) {
        return switch (parent) {
            case NamedList<?> list -> list.get(name);
            case java.util.Map<?, ?> map -> map.get(name);
            case null, default -> null;
        };
    }
}
