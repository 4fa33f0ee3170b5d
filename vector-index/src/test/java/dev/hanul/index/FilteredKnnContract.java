package dev.hanul.index;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters run inside the kNN search: asking for the top 10 under a filter that a few percent of chunks pass still
 * yields 10 matching chunks (a post-filter over the unfiltered top 10 would yield almost none).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilteredKnnContract {

    /** A new, empty store of this backend; the test closes it. */
    abstract VectorStore open(IndexConfig config) throws IOException;

    private static final int DIM = 16;
    private static final int CHUNKS = 1000;
    private static final String TENANT = "acme";
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");


    private VectorStore store;
    private final List<ChunkDocument> chunks = new ArrayList<>();
    private final Random random = new Random(11);

    @BeforeAll
    void index() throws IOException {
        store = open(IndexConfig.of(DIM));
        String[] categories = {"manual", "faq", "policy", "blog", "release-notes"};
        for (int i = 0; i < CHUNKS; i++) {
            var metadata = Metadata.of(Map.of(
                    "category", categories[i % categories.length],
                    "year", 2000 + i % 25,
                    "rating", (i % 50) / 10.0,
                    "tags", List.of("t" + i % 7, "t" + i % 11),
                    "updated", EPOCH.plusSeconds(3600L * i)));
            chunks.add(new ChunkDocument("c" + i, "d" + i / 4, TENANT, "chunk number " + i,
                    TestVectors.unit(random, DIM), metadata));
        }
        store.add(chunks);
    }

    @AfterAll
    void close() throws IOException {
        store.close();
    }

    @Test
    void exactKeyword() throws IOException {
        assertFilterInsideKnn(Filter.exact("category", "faq"), c -> c.metadata().get("category")
                .contains(new MetadataValue.Keyword("faq")));
    }

    @Test
    void exactLongSelectsFourPercent() throws IOException {
        assertFilterInsideKnn(Filter.exact("year", 2013), c -> c.metadata().get("year")
                .contains(new MetadataValue.LongValue(2013)));
    }

    @Test
    void exactDouble() throws IOException {
        assertFilterInsideKnn(Filter.exact("rating", 4.5), c -> c.metadata().get("rating")
                .contains(new MetadataValue.DoubleValue(4.5)));
    }

    @Test
    void longRange() throws IOException {
        assertFilterInsideKnn(Filter.range("year", 2010, 2011), c -> year(c) >= 2010 && year(c) <= 2011);
    }

    @Test
    void openEndedDoubleRange() throws IOException {
        assertFilterInsideKnn(Filter.range("rating", 4.8, null), c -> rating(c) >= 4.8);
    }

    @Test
    void timestampRange() throws IOException {
        Instant from = EPOCH.plusSeconds(3600L * 100);
        Instant to = EPOCH.plusSeconds(3600L * 130);
        assertFilterInsideKnn(Filter.range("updated", from, to), c -> {
            Instant t = ((MetadataValue.Timestamp) c.metadata().get("updated").getFirst()).value();
            return !t.isBefore(from) && !t.isAfter(to);
        });
    }

    @Test
    void keywordRange() throws IOException {
        assertFilterInsideKnn(Filter.range("category", "faq", "manual"), c -> {
            String category = ((MetadataValue.Keyword) c.metadata().get("category").getFirst()).value();
            return category.compareTo("faq") >= 0 && category.compareTo("manual") <= 0;
        });
    }

    @Test
    void inSetOnMultiValuedTags() throws IOException {
        assertFilterInsideKnn(Filter.anyOf("tags", "t3", "t10"), c -> c.metadata().get("tags").stream()
                .anyMatch(v -> v.equals(new MetadataValue.Keyword("t3")) || v.equals(new MetadataValue.Keyword("t10"))));
    }

    @Test
    void inSetOfLongs() throws IOException {
        assertFilterInsideKnn(Filter.anyOf("year", 2001, 2024), c -> year(c) == 2001 || year(c) == 2024);
    }

    @Test
    void conjunction() throws IOException {
        assertFilterInsideKnn(Filter.and(Filter.exact("category", "manual"), Filter.range("year", 2005, 2019)),
                c -> c.metadata().get("category").contains(new MetadataValue.Keyword("manual"))
                        && year(c) >= 2005 && year(c) <= 2019);
    }

    @Test
    void disjunction() throws IOException {
        Filter filter = Filter.or(Filter.exact("category", "faq"), Filter.range("year", 2023, null));
        assertFilterInsideKnn(filter, c -> FilterOracle.matches(filter, c.metadata()));
    }

    @Test
    void negation() throws IOException {
        Filter filter = Filter.and(Filter.not(Filter.anyOf("category", "manual", "faq", "policy")),
                Filter.not(Filter.range("rating", 1.0, null)));
        assertFilterInsideKnn(filter, c -> FilterOracle.matches(filter, c.metadata()));
    }

    @Test
    void filterOnAbsentKeyMatchesNothing() throws IOException {
        assertThat(store.search(SearchRequest.vector(TENANT, TestVectors.unit(random, DIM))
                .withFilter(Filter.exact("nonexistent", "x")))).isEmpty();
        assertThat(store.search(SearchRequest.vector(TENANT, TestVectors.unit(random, DIM))
                .withFilter(Filter.exact("year", "2013")))).as("year is a number, not a keyword").isEmpty();
    }

    private void assertFilterInsideKnn(Filter filter, Predicate<ChunkDocument> expected) throws IOException {
        long matching = chunks.stream().filter(expected).count();
        assertThat(matching).as("test data: the filter must leave fewer than all chunks").isBetween(10L, CHUNKS - 1L);
        for (int q = 0; q < 5; q++) {
            float[] query = TestVectors.unit(random, DIM);
            List<SearchHit> hits = store.search(SearchRequest.vector(TENANT, query).withTopK(10).withCandidates(10)
                    .withFilter(filter));

            assertThat(hits).hasSize(10);
            for (SearchHit hit : hits) {
                ChunkDocument chunk = chunks.get(Integer.parseInt(hit.chunkId().substring(1)));
                assertThat(expected.test(chunk)).as("hit %s passes %s", hit.chunkId(), filter).isTrue();
                assertThat(hit.metadata()).isEqualTo(chunk.metadata());
            }
        }
    }

    private static long year(ChunkDocument chunk) {
        return ((MetadataValue.LongValue) chunk.metadata().get("year").getFirst()).value();
    }

    private static double rating(ChunkDocument chunk) {
        return ((MetadataValue.DoubleValue) chunk.metadata().get("rating").getFirst()).value();
    }
}
