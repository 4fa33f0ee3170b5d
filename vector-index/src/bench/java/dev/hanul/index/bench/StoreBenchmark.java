package dev.hanul.index.bench;

import dev.hanul.index.ChunkDocument;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.Metadata;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bin/hanul bench stores}: the two chunk-store backends side by side on the same synthetic chunks (clustered
 * 384-d unit vectors, text drawn from a Zipf-distributed vocabulary, 10 tenants): bulk-ingest chunks/s with
 * {@code writers} threads in batches of 500, hybrid-search latency of one thread (p50, p95) and throughput of
 * {@code threads} searching threads. The embedded store runs in a temporary directory; the SolrCloud one in a new
 * collection of 2 shards × 2 replicas on the nodes given (deleted afterwards only by hand: it is named
 * {@code bench_<time>}). Prints a Markdown table for docs/scaling.md.
 *
 * <p>Options: {@code --solr URL[,URL...]} (without it, the embedded store alone), {@code --chunks N} (default
 * 20000), {@code --queries N} (default 200), {@code --threads N} (default 8), {@code --writers N} (default 4).
 */
public final class StoreBenchmark {

    private static final int DIMENSION = 384;
    private static final int TENANTS = 10;
    private static final int BATCH = 500;
    private static final int VOCABULARY = 5000;

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int chunks = Integer.parseInt(options.getOrDefault("--chunks", "20000"));
        int queries = Integer.parseInt(options.getOrDefault("--queries", "200"));
        int threads = Integer.parseInt(options.getOrDefault("--threads", "8"));
        int writers = Integer.parseInt(options.getOrDefault("--writers", "4"));
        List<ChunkDocument> data = chunks(chunks);
        System.out.printf("JDK %s, %d cores; %d chunks of %d dimensions in %d tenants%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), chunks, DIMENSION, TENANTS);
        System.out.println("| backend | ingest chunks/s | hybrid p50 ms (1 thread) | hybrid p95 ms | hybrid queries/s ("
                + threads + " threads) |");
        System.out.println("|---|---|---|---|---|");
        IndexConfig config = IndexConfig.of(DIMENSION, VectorSimilarity.DOT_PRODUCT);
        Path work = Files.createTempDirectory("hanul-store-bench");
        try (VectorStore lucene = VectorStore.open(work, config)) {
            run("embedded Lucene", lucene, data, queries, threads, writers);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        if (options.containsKey("--solr")) {
            List<URI> nodes = Arrays.stream(options.get("--solr").split(",")).map(URI::create).toList();
            var cluster = SolrCloudConfig.of(nodes).withCollection("bench_" + System.currentTimeMillis());
            try (VectorStore solr = SolrCloudVectorStore.open(cluster, config)) {
                run("SolrCloud, " + nodes.size() + " nodes, 2 shards × 2 replicas", solr, data, queries, threads,
                        writers);
            }
        }
    }

    private static void run(String name, VectorStore store, List<ChunkDocument> data, int queries, int threads,
            int writers) throws Exception {
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            var batches = new ArrayList<Future<?>>();
            for (int from = 0; from < data.size(); from += BATCH) {
                List<ChunkDocument> batch = data.subList(from, Math.min(data.size(), from + BATCH));
                batches.add(pool.submit(() -> {
                    store.add(batch);
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get();
            }
        }
        store.commit();
        double ingest = data.size() / ((System.nanoTime() - started) / 1e9);

        List<SearchRequest> requests = requests(queries);
        for (SearchRequest request : requests.subList(0, Math.min(20, requests.size()))) {
            store.search(request);
        }
        double[] latencies = new double[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            long start = System.nanoTime();
            store.search(requests.get(i));
            latencies[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(latencies);
        var done = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long loadStart = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int offset = t;
                pool.submit(() -> {
                    for (int i = offset; System.nanoTime() < deadline; i++) {
                        store.search(requests.get(i % requests.size()));
                        done.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        double qps = done.get() / ((System.nanoTime() - loadStart) / 1e9);
        System.out.printf("| %s | %.0f | %.1f | %.1f | %.0f |%n", name, ingest, latencies[latencies.length / 2],
                latencies[(int) (latencies.length * 0.95)], qps);
    }

    private static List<ChunkDocument> chunks(int count) {
        var vectors = new ClusteredVectors(200, DIMENSION, 17);
        var random = new Random(23);
        var chunks = new ArrayList<ChunkDocument>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new ChunkDocument("c" + i, "d" + i / 8, "tenant-" + i % TENANTS, text(random, 60),
                    vectors.next(), Metadata.of(Map.of("source", "file-" + i / 8 + ".pdf", "page", i % 8))));
        }
        return chunks;
    }

    private static List<SearchRequest> requests(int count) {
        var vectors = new ClusteredVectors(200, DIMENSION, 17);
        var random = new Random(29);
        var requests = new ArrayList<SearchRequest>(count);
        for (int i = 0; i < count; i++) {
            requests.add(SearchRequest.hybrid("tenant-" + i % TENANTS, text(random, 6), vectors.next()));
        }
        return requests;
    }

    private static Map<String, String> options(String[] args) {
        List<String> known = List.of("--solr", "--chunks", "--queries", "--threads", "--writers");
        var options = new java.util.HashMap<String, String>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 == args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; known: "
                        + String.join(", ", known) + ", each followed by its value");
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    /** Words w0…w4999 with Zipf-like frequencies, as in natural text: a few common words, a long tail. */
    private static String text(Random random, int words) {
        var text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            int rank = (int) Math.floor(Math.pow(VOCABULARY, random.nextDouble()));
            text.append(w == 0 ? "" : " ").append("w").append(rank);
        }
        return text.toString();
    }
}
