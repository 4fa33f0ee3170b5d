package dev.hanul.index.bench;

import dev.hanul.index.Filter;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.Metadata;
import dev.hanul.index.Quantization;
import dev.hanul.index.VectorCollection;
import dev.hanul.index.VectorCollections;
import dev.hanul.index.VectorMatch;
import dev.hanul.index.VectorQuery;
import dev.hanul.index.VectorRecord;
import dev.hanul.index.VectorSimilarity;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * {@code bin/hanul bench index}: recall@10 and single-thread queries per second of the HNSW index, (1) on siftsmall
 * (L2, ground truth shipped with the data) at several build beam widths, query candidate counts and quantizations,
 * (2) on seeded clustered 384-dimension vectors under a filter that 10% of them pass, against exact neighbours
 * computed by brute force over that 10%. Prints Markdown tables for docs/benchmarks.md.
 *
 * <p>Options: {@code --data DIR} (folder holding siftsmall/, default ../shared/data), {@code --vectors N} (clustered
 * set size, default 100000), {@code --queries N} (clustered queries, default 200). Run the JVM with
 * {@code --add-modules jdk.incubator.vector} so Lucene scores vectors with SIMD.
 */
public final class IndexBenchmark {

    private static final int K = 10;
    private static final int[] CANDIDATES = {10, 20, 50, 100, 200};
    /**
     * Throughput is the median of several timed rounds: this sandbox shares its cores, and a median shrugs off the
     * rounds a neighbour disturbed.
     */
    private static final int ROUNDS = 5;
    private static final long ROUND_NANOS = 400_000_000L;
    /** Lets the JIT compile the query path of this configuration before it is timed. */
    private static final long WARM_UP_NANOS = 1_000_000_000L;

    private IndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path data = Path.of(options.getOrDefault("--data", "../shared/data"));
        int vectors = Integer.parseInt(options.getOrDefault("--vectors", "100000"));
        int queries = Integer.parseInt(options.getOrDefault("--queries", "200"));

        System.out.printf("JDK %s, Lucene %s, %d cores%n", Runtime.version(), Version.LATEST,
                Runtime.getRuntime().availableProcessors());
        Path work = Files.createTempDirectory("hanul-index-bench");
        try {
            Path sift = data.resolve("siftsmall");
            if (Files.isRegularFile(sift.resolve("siftsmall_base.fvecs"))) {
                try (var db = VectorCollections.open(work)) {
                    siftsmall(db, sift);
                }
            } else {
                System.out.println("siftsmall not found under " + data.toAbsolutePath() + "; skipped (--data DIR)");
            }
            clustered(work, vectors, queries);
        } finally {
            delete(work);
        }
    }

    private static void siftsmall(VectorCollections db, Path sift) throws IOException {
        float[][] base = VectorFiles.readFvecs(sift.resolve("siftsmall_base.fvecs"));
        float[][] queries = VectorFiles.readFvecs(sift.resolve("siftsmall_query.fvecs"));
        int[][] truth = VectorFiles.readIvecs(sift.resolve("siftsmall_groundtruth.ivecs"));
        System.out.printf("%n### siftsmall: %d base vectors, %d queries, 128 dimensions, EUCLIDEAN, M=16, top %d, "
                + "one segment%n%n", base.length, queries.length, K);
        System.out.println("| build beam width | quantization | build s | candidates | recall@10 | queries/s |");
        System.out.println("|---:|---|---:|---:|---:|---:|");
        record Variant(int beamWidth, Quantization quantization) {
        }
        for (var variant : List.of(new Variant(50, Quantization.NONE), new Variant(100, Quantization.NONE),
                new Variant(200, Quantization.NONE), new Variant(100, Quantization.INT8),
                new Variant(100, Quantization.INT4))) {
            IndexConfig config = IndexConfig.of(128, VectorSimilarity.EUCLIDEAN).withHnsw(16, variant.beamWidth())
                    .withQuantization(variant.quantization());
            String name = "sift-" + variant.beamWidth() + "-" + variant.quantization().name().toLowerCase();
            VectorCollection collection = db.create(name, config);
            double buildSeconds = build(collection, base.length, i -> new VectorRecord(Integer.toString(i), base[i],
                    null));
            collection.forceMerge(1);
            for (int candidates : CANDIDATES) {
                Measurement m = measure(collection, queries, q -> truth[q], Filter.NONE, candidates);
                System.out.printf("| %d | %s | %.1f | %d | %.3f | %.0f |%n", variant.beamWidth(),
                        variant.quantization(), buildSeconds, candidates, m.recall(), m.queriesPerSecond());
            }
            db.drop(name);
        }
    }

    private static void clustered(Path work, int count, int queryCount) throws IOException {
        int dimension = 384;
        var generator = new ClusteredVectors(100, dimension, 42);
        float[][] base = new float[count][];
        for (int i = 0; i < count; i++) {
            base[i] = generator.next();
        }
        float[][] queries = new float[queryCount][];
        for (int q = 0; q < queryCount; q++) {
            queries[q] = generator.next();
        }
        // bucket = id % 10, and query q asks for bucket q % 10: every filter passes exactly 10% of the vectors.
        int[][] filteredTruth = new int[queryCount][];
        int[][] unfilteredTruth = new int[queryCount][];
        for (int q = 0; q < queryCount; q++) {
            int bucket = q % 10;
            filteredTruth[q] = ClusteredVectors.exactNearest(base, queries[q], K, i -> i % 10 == bucket);
            unfilteredTruth[q] = ClusteredVectors.exactNearest(base, queries[q], K, i -> true);
        }
        System.out.printf("%n### clustered: %d vectors (100 clusters, seed 42), %d queries, %d dimensions, COSINE, "
                + "M=16, beam width 100, top %d%n%n", count, queryCount, dimension, K);
        try (var db = VectorCollections.open(work)) {
            double buildSeconds = build(db.create("clustered", IndexConfig.of(dimension)), count,
                    i -> new VectorRecord(Integer.toString(i), base[i], Metadata.of(Map.of("bucket", i % 10))));
            System.out.printf("build: %.1f s (%.0f vectors/s, upserts of 10,000, committed)%n%n", buildSeconds,
                    count / buildSeconds);
        }
        System.out.println("| segments | filter | candidates | recall@10 | queries/s |");
        System.out.println("|---:|---|---:|---:|---:|");
        // Reopened: closing waited for running merges, so nothing merges in the background while queries are timed.
        try (var db = VectorCollections.open(work)) {
            VectorCollection collection = db.get("clustered");
            clusteredTable(collection, work, queries, filteredTruth, unfilteredTruth);
            long start = System.nanoTime();
            collection.forceMerge(1);
            collection.commit();
            System.out.printf("| force-merged to one segment in %.1f s | | | | |%n", (System.nanoTime() - start) / 1e9);
            clusteredTable(collection, work, queries, filteredTruth, unfilteredTruth);
        }
    }

    private static void clusteredTable(VectorCollection collection, Path work, float[][] queries,
                                       int[][] filteredTruth, int[][] unfilteredTruth) throws IOException {
        int segments = segments(work.resolve(collection.name()));
        for (int candidates : CANDIDATES) {
            Measurement m = measure(collection, queries, q -> filteredTruth[q], null, candidates);
            System.out.printf("| %d | bucket = q %% 10 (10%%) | %d | %.3f | %.0f |%n", segments, candidates,
                    m.recall(), m.queriesPerSecond());
        }
        for (int candidates : CANDIDATES) {
            Measurement m = measure(collection, queries, q -> unfilteredTruth[q], Filter.NONE, candidates);
            System.out.printf("| %d | none | %d | %.3f | %.0f |%n", segments, candidates, m.recall(),
                    m.queriesPerSecond());
        }
    }

    /** Segments in the last commit: each has its own HNSW graph, which explains much of the throughput. */
    private static int segments(Path index) throws IOException {
        try (Directory directory = FSDirectory.open(index)) {
            return SegmentInfos.readLatestCommit(directory).size();
        }
    }

    /** Upserts in batches (each batch becomes visible, as ingestion would do it), commits; returns seconds. */
    private static double build(VectorCollection collection, int count, IntFunction<VectorRecord> record)
            throws IOException {
        long start = System.nanoTime();
        int batch = 10_000;
        for (int from = 0; from < count; from += batch) {
            List<VectorRecord> records = new ArrayList<>(batch);
            for (int i = from; i < Math.min(count, from + batch); i++) {
                records.add(record.apply(i));
            }
            collection.upsert(records);
        }
        collection.commit();
        return (System.nanoTime() - start) / 1e9;
    }

    private record Measurement(double recall, double queriesPerSecond) {
    }

    /**
     * Recall over all queries, then throughput (median of timed rounds) after a warm-up. A null filter means
     * "the query's own bucket".
     */
    private static Measurement measure(VectorCollection collection, float[][] queries, IntFunction<int[]> truth,
                                       Filter filter, int candidates) throws IOException {
        VectorQuery[] prepared = new VectorQuery[queries.length];
        for (int q = 0; q < queries.length; q++) {
            prepared[q] = VectorQuery.of(queries[q]).withTopK(K).withCandidates(candidates)
                    .withFilter(filter != null ? filter : Filter.exact("bucket", q % 10));
        }
        int found = 0;
        for (int q = 0; q < prepared.length; q++) {
            int[] expected = Arrays.copyOf(truth.apply(q), K);
            for (VectorMatch match : collection.query(prepared[q])) {
                int id = Integer.parseInt(match.id());
                found += Arrays.stream(expected).anyMatch(e -> e == id) ? 1 : 0;
            }
        }
        run(collection, prepared, WARM_UP_NANOS);
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            rounds[r] = run(collection, prepared, ROUND_NANOS);
        }
        Arrays.sort(rounds);
        return new Measurement(found / (double) (K * queries.length), rounds[ROUNDS / 2]);
    }

    /** Repeats all queries for at least the given time; returns queries per second. */
    private static double run(VectorCollection collection, VectorQuery[] queries, long nanos) throws IOException {
        long executed = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            for (VectorQuery query : queries) {
                collection.query(query);
            }
            executed += queries.length;
        }
        return executed / ((System.nanoTime() - start) / 1e9);
    }

    private static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --data DIR --vectors N --queries N");
        }
        var options = new HashMap<String, String>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--data", "--vectors", "--queries").contains(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --data DIR, --vectors N, --queries N");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
