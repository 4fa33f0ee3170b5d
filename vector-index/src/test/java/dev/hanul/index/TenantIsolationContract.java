package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: no query of one tenant ever returns another tenant's chunk. Seeded random tenants (with names built to
 * collide: prefixes, separators, case), documents whose ids, texts and even vectors repeat across tenants, random
 * replaces and deletes, and random kNN, BM25 and hybrid queries under random filters. Every hit is checked against
 * an in-memory model: right tenant, live chunk, filter satisfied; and kNN must return exactly min(topK, matching)
 * hits, which only holds if tenant and filter are applied inside the search.
 */
abstract class TenantIsolationContract {

    /** A new, empty store of this backend; the test closes it. */
    abstract VectorStore open(IndexConfig config) throws IOException;

    /** Random operations after the initial documents; a remote backend, where each costs a round trip, runs fewer. */
    int iterations() {
        return 600;
    }

    private static final int DIM = 6;
    private static final String[] TENANTS = {"acme", "acme2", "Acme", "1:acme", "acme ", "a", "아크미"};
    private static final String[] WORDS = {"lucene", "vector", "tenant", "index", "cache", "gpu", "문서", "검색", "모델"};
    private static final String[] CATEGORIES = {"manual", "faq", "policy"};


    /** tenant → document id → its live chunks. */
    private final Map<String, Map<String, List<ChunkDocument>>> model = new HashMap<>();
    /** Vectors shared across tenants, so a foreign chunk is often the exact nearest neighbour. */
    private final List<float[]> sharedVectors = new ArrayList<>();

    @Test
    void noQueryOfOneTenantReturnsAnotherTenantsChunk() throws Exception {
        var random = new Random(20261124);
        for (int i = 0; i < 40; i++) {
            sharedVectors.add(TestVectors.unit(random, DIM));
        }
        long checkedHits = 0;
        try (var store = open(IndexConfig.of(DIM))) {
            for (int i = 0; i < 150; i++) {
                writeRandomDocument(store, random);
            }
            for (int i = 0; i < iterations(); i++) {
                int action = random.nextInt(10);
                if (action == 0) {
                    writeRandomDocument(store, random);
                } else if (action == 1) {
                    deleteRandomDocument(store, random);
                } else {
                    checkedHits += checkRandomQuery(store, random);
                }
            }
            for (String tenant : TENANTS) {
                assertThat(store.count(tenant)).as("count of %s", tenant).isEqualTo(liveChunks(tenant).size());
            }
        }
        // More than 3 hits checked per operation on average (2000 for the embedded store's 600).
        assertThat(checkedHits).as("the property was checked on real hits").isGreaterThan(iterations() * 10L / 3);
    }

    private int checkRandomQuery(VectorStore store, Random random) throws Exception {
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        Filter filter = randomFilter(random);
        float[] vector = random.nextBoolean() ? sharedVectors.get(random.nextInt(sharedVectors.size()))
                : TestVectors.unit(random, DIM);
        String text = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
        int topK = 1 + random.nextInt(15);
        SearchRequest request = switch (random.nextInt(3)) {
            case 0 -> SearchRequest.vector(tenant, vector);
            case 1 -> SearchRequest.text(tenant, text);
            default -> SearchRequest.hybrid(tenant, text, vector);
        };
        request = request.withTopK(topK).withCandidates(topK + random.nextInt(20)).withFilter(filter);

        List<SearchHit> hits = store.search(request);

        Map<String, ChunkDocument> live = new LinkedHashMap<>();
        liveChunks(tenant).forEach(c -> live.put(c.documentId() + "/" + c.chunkId(), c));
        for (SearchHit hit : hits) {
            assertThat(hit.tenant()).as("tenant of a hit for %s", request).isEqualTo(tenant);
            ChunkDocument chunk = live.get(hit.documentId() + "/" + hit.chunkId());
            assertThat(chunk).as("hit %s/%s is a live chunk of %s", hit.documentId(), hit.chunkId(), tenant)
                    .isNotNull();
            assertThat(hit.text()).isEqualTo(chunk.text());
            assertThat(FilterOracle.matches(filter, hit.metadata())).as("hit passes %s", filter).isTrue();
        }
        assertThat(hits).extracting(h -> h.documentId() + "/" + h.chunkId()).doesNotHaveDuplicates();
        if (request.text() == null) {
            long matching = live.values().stream().filter(c -> FilterOracle.matches(filter, c.metadata())).count();
            assertThat(hits).as("kNN of %s under %s", tenant, filter).hasSize((int) Math.min(topK, matching));
        }
        return hits.size();
    }

    private void writeRandomDocument(VectorStore store, Random random) throws Exception {
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        String documentId = "doc-" + random.nextInt(30);
        List<ChunkDocument> chunks = new ArrayList<>();
        for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
            chunks.add(new ChunkDocument("chunk-" + c, documentId, tenant, randomText(random),
                    sharedVectors.get(random.nextInt(sharedVectors.size())), randomMetadata(random)));
        }
        store.replaceDocument(tenant, documentId, chunks);
        model.computeIfAbsent(tenant, t -> new HashMap<>()).put(documentId, chunks);
    }

    private void deleteRandomDocument(VectorStore store, Random random) throws Exception {
        String tenant = TENANTS[random.nextInt(TENANTS.length)];
        String documentId = "doc-" + random.nextInt(30);
        store.deleteDocument(tenant, documentId);
        model.getOrDefault(tenant, new HashMap<>()).remove(documentId);
    }

    private List<ChunkDocument> liveChunks(String tenant) {
        return model.getOrDefault(tenant, Map.of()).values().stream().flatMap(List::stream).toList();
    }

    private static String randomText(Random random) {
        var text = new StringBuilder();
        for (int w = 0, n = 2 + random.nextInt(6); w < n; w++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.toString().strip();
    }

    private static Metadata randomMetadata(Random random) {
        return Metadata.of(Map.of(
                "category", CATEGORIES[random.nextInt(CATEGORIES.length)],
                "year", 2020 + random.nextInt(6),
                "tags", List.of("t" + random.nextInt(5), "t" + random.nextInt(5)),
                "updated", Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1000))));
    }

    private static Filter randomFilter(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> Filter.NONE;
            case 1 -> Filter.exact("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
            case 2 -> Filter.range("year", 2020 + random.nextInt(6), 2020 + random.nextInt(6));
            case 3 -> Filter.anyOf("tags", "t" + random.nextInt(5), "t" + random.nextInt(5));
            case 4 -> Filter.range("updated", Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1000)), null);
            case 5 -> Filter.and(Filter.exact("category", CATEGORIES[random.nextInt(CATEGORIES.length)]),
                    Filter.range("year", 2021, null));
            default -> Filter.exact("year", 2020 + random.nextInt(6));
        };
    }
}
