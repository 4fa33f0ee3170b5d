package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Writers, committers and searchers share one store at once; every write lands and no reader ever fails. */
class ConcurrencyTest {

    private static final int DIM = 8;
    private static final int WRITERS = 3;
    private static final int DOCUMENTS_PER_WRITER = 100;

    @TempDir
    Path dir;

    @Test
    void concurrentWritesAndSearchesAllSucceed() throws Exception {
        var writing = new AtomicBoolean(true);
        try (var store = VectorStore.open(dir, IndexConfig.of(DIM));
             ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String tenant = "tenant-" + w;
                var random = new Random(w);
                writers.add(pool.submit((Callable<Void>) () -> {
                    for (int d = 0; d < DOCUMENTS_PER_WRITER; d++) {
                        store.replaceDocument(tenant, "doc-" + d, List.of(new ChunkDocument("c", "doc-" + d, tenant,
                                "text number " + d, TestVectors.unit(random, DIM), Metadata.EMPTY)));
                        if (d % 50 == 0) {
                            store.commit();
                        }
                    }
                    return null;
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                var random = new Random(100 + r);
                readers.add(pool.submit(() -> {
                    int searches = 0;
                    while (writing.get()) {
                        String tenant = "tenant-" + random.nextInt(WRITERS);
                        for (SearchHit hit : store.search(SearchRequest.hybrid(tenant, "text number",
                                TestVectors.unit(random, DIM)))) {
                            assertThat(hit.tenant()).isEqualTo(tenant);
                        }
                        searches++;
                    }
                    return searches;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            writing.set(false);
            for (Future<Integer> reader : readers) {
                assertThat(reader.get()).isPositive();
            }
            for (int w = 0; w < WRITERS; w++) {
                assertThat(store.count("tenant-" + w)).isEqualTo(DOCUMENTS_PER_WRITER);
            }
        }
    }
}
