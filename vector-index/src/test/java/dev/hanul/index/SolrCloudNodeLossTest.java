package dev.hanul.index;

import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durability promise of the SolrCloud backend: a write that returned is kept when a node goes down. A writer
 * adds documents of 20 chunks while one of the three nodes is stopped (every shard has a replica on each node, so
 * that node led some shards); the store retries on the other nodes through the leader election, and afterwards
 * every acknowledged document is there, complete, both while the node is down and after it has come back.
 */
class SolrCloudNodeLossTest {

    private static final int DIM = 8;
    private static final int DOCUMENTS = 60;
    private static final int CHUNKS_PER_DOCUMENT = 20;
    private static final String TENANT = "durable";

    @Test
    void aNodeStoppedMidIngestLosesNoAcknowledgedChunk() throws Exception {
        SolrCloudTestCluster cluster = SolrCloudTestCluster.get();
        SolrCloudConfig config = cluster.newCollection("nodeloss").withLayout(2, SolrCloudTestCluster.NODES);
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        var failure = new AtomicReference<Throwable>();
        var halfway = new CountDownLatch(1);
        try (var store = SolrCloudVectorStore.open(config, IndexConfig.of(DIM))) {
            var writer = Thread.ofPlatform().name("ingest").start(() -> {
                var random = new Random(5);
                try {
                    for (int d = 0; d < DOCUMENTS; d++) {
                        var chunks = new ArrayList<ChunkDocument>();
                        for (int c = 0; c < CHUNKS_PER_DOCUMENT; c++) {
                            chunks.add(TestVectors.chunk(TENANT, "d" + d, "d" + d + "#" + c,
                                    "chunk " + c + " of document " + d, TestVectors.unit(random, DIM), null));
                        }
                        store.add(chunks);
                        acknowledged.add("d" + d);
                        if (d == DOCUMENTS / 3) {
                            halfway.countDown();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                    halfway.countDown();
                }
            });
            assertThat(halfway.await(120, TimeUnit.SECONDS)).isTrue();
            int before = acknowledged.size();
            cluster.stop(1);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(150));
                assertThat(failure.get()).as("the writer rides out the node loss").isNull();
                assertThat(acknowledged).hasSize(DOCUMENTS);
                assertThat(before).as("the node went down mid-ingest").isLessThan(DOCUMENTS);
                assertAllThere(store, acknowledged);
            } finally {
                cluster.start(1);
            }
            assertAllThere(store, acknowledged);
        } finally {
            cluster.deleteCollection(config.collection());
        }
    }

    /**
     * Durability, not visibility: a write acknowledged while a node went down is in the surviving replicas'
     * transaction logs, but the per-write soft commit may have opened a searcher on a replica before a retried write
     * reached it. A hard commit opens new searchers on every active replica; then every acknowledged chunk must be
     * there.
     */
    private static void assertAllThere(VectorStore store, List<String> acknowledged) throws Exception {
        store.commit();
        assertThat(store.count(TENANT)).isEqualTo((long) acknowledged.size() * CHUNKS_PER_DOCUMENT);
        for (String document : acknowledged) {
            assertThat(store.documentChunks(TENANT, document)).as(document).hasSize(CHUNKS_PER_DOCUMENT);
        }
    }
}
