package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.index.SolrCloudTestCluster;
import dev.hanul.index.VectorStore;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with {@code hanul.index.backend=solrcloud}: documents ingested through the API land in a collection
 * of the 3-node test cluster, and every search mode and tenant isolation work as on the embedded index.
 */
class SolrCloudIngestTest extends IngestTestSupport {

    private static SolrCloudTestCluster cluster;
    private static String collection;

    @Autowired
    VectorStore chunkStore;

    @BeforeAll
    static void cluster() {
        cluster = SolrCloudTestCluster.get();
        collection = cluster.newCollection("service").collection();
    }

    @DynamicPropertySource
    static void solrCloud(DynamicPropertyRegistry registry) {
        registry.add("hanul.index.backend", () -> "solrcloud");
        registry.add("hanul.index.solrcloud.nodes",
                () -> cluster.nodes().stream().map(URI::toString).collect(Collectors.joining(",")));
        registry.add("hanul.index.solrcloud.collection", () -> collection);
        registry.add("hanul.data-dir", () -> "target/test-data/solrcloud");
    }

    @Test
    void ingestedTextIsFoundByEverySearchModeWithinItsTenantOnly() {
        assertThat(chunkStore).isInstanceOf(SolrCloudVectorStore.class);
        String tenant = newTenant();
        JobView job = awaitJob(tenant, ingestText(tenant, """
                {"documents": [
                  {"id": "kv", "text": "Paged attention keeps the KV cache in fixed-size blocks of sixteen tokens."},
                  {"id": "harbour", "text": "The harbour master counts the ships that sail at dawn."},
                  {"id": "ko", "text": "한국어 문서에서 검색 엔진이 형태소를 분석합니다."}]}"""));
        assertThat(job.status()).isEqualTo("COMPLETED");

        for (String mode : List.of("bm25", "vector", "hybrid")) {
            List<Map<String, Object>> hits = search(tenant, searchJson("how are KV cache blocks sized", mode));
            assertThat(hits).as(mode).isNotEmpty();
            assertThat(hits.getFirst().get("documentId")).as(mode).isEqualTo("kv");
        }
        assertThat(search(tenant, searchJson("문서", "bm25"))).extracting(hit -> hit.get("documentId"))
                .containsExactly("ko");
        assertThat(search(newTenant(), searchJson("harbour ships", "hybrid"))).isEmpty();
    }
}
