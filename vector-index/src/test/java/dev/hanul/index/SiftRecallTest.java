package dev.hanul.index;

import dev.hanul.index.bench.VectorFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * HNSW quality on the siftsmall data set (10,000 base vectors, 100 queries, exact L2 neighbours given): recall@10
 * of the filter-free kNN search must reach 0.95. The data is found through the setting {@code hanul.test.data}
 * (system property; default ../shared/data).
 */
class SiftRecallTest {

    @TempDir
    Path root;

    @Test
    void recallAt10OnSiftsmallIsAtLeast095() throws Exception {
        Path sift = Path.of(System.getProperty("hanul.test.data", "../shared/data")).resolve("siftsmall");
        assumeTrue(Files.isRegularFile(sift.resolve("siftsmall_base.fvecs")), () -> "Skipped: siftsmall not found at "
                + sift.toAbsolutePath() + " (set -Dhanul.test.data to the folder that holds siftsmall/)");
        float[][] base = VectorFiles.readFvecs(sift.resolve("siftsmall_base.fvecs"));
        float[][] queries = VectorFiles.readFvecs(sift.resolve("siftsmall_query.fvecs"));
        int[][] truth = VectorFiles.readIvecs(sift.resolve("siftsmall_groundtruth.ivecs"));

        try (var db = VectorCollections.open(root)) {
            VectorCollection collection = db.create("sift", IndexConfig.of(128, VectorSimilarity.EUCLIDEAN));
            List<VectorRecord> records = new ArrayList<>(base.length);
            for (int i = 0; i < base.length; i++) {
                records.add(new VectorRecord(Integer.toString(i), base[i], null));
            }
            collection.upsert(records);

            int found = 0;
            for (int q = 0; q < queries.length; q++) {
                List<Integer> expected = Arrays.stream(truth[q], 0, 10).boxed().toList();
                found += (int) collection.query(VectorQuery.of(queries[q]).withTopK(10).withCandidates(100)).stream()
                        .filter(match -> expected.contains(Integer.parseInt(match.id())))
                        .count();
            }
            double recall = found / (10.0 * queries.length);
            assertThat(recall).as("recall@10 over %d queries", queries.length).isGreaterThanOrEqualTo(0.95);
        }
    }
}
