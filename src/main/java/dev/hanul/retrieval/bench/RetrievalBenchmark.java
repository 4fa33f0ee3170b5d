package dev.hanul.retrieval.bench;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import dev.hanul.ingest.text.Chunk;
import dev.hanul.ingest.text.ChunkSplitter;
import dev.hanul.rerank.CrossEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.springframework.util.FileSystemUtils;

/**
 * Retrieval quality as search gives it: the set's documents are chunked as ingestion chunks them, embedded with the
 * configured model and indexed in a fresh chunk index; every query then runs in each mode, and the documents of the
 * hits (first chunk of a document counts) are scored against the set's answers as BEIR scores them (pytrec_eval):
 * Recall@1 and Recall@10 (the share of a query's relevant documents in its first 1 or 10; for a set with one answer
 * per query, Recall@1 is whether the first document answers) and nDCG@10 (binary relevance).
 *
 * <p>The chunks (text and vectors) are also kept beside the index, so a later run can search the same chunks in a
 * SolrCloud collection without embedding again: the backends are compared on identical input.
 */
public final class RetrievalBenchmark {

    private static final String TENANT = "bench";
    private static final int DOCUMENTS_PER_QUERY = 10;
    private static final int CHUNK_HITS = 50;

    /**
     * The rerank modes by the name {@code --rerank-modes} takes: the retrieval that feeds the cross-encoder, and
     * whether its order is the cross-encoder's alone or a blend with the retrieval's own score.
     */
    public static final Map<String, RerankMode> RERANK_MODES = rerankModes();

    /**
     * @param fusion the hybrid fusion that feeds the reranker; null for BM25 alone
     * @param blend  order by the sum of the cross-encoder's and the fused score, each as standard scores over the
     *               candidates (the fusion hybrid search uses for its two retrievers), instead of the cross-encoder's
     *               score alone
     */
    public record RerankMode(String name, HybridFusion.Method fusion, boolean blend) {
    }

    /**
     * How to run.
     *
     * @param maxQueries       queries to run, a fixed sample when the set has more
     * @param reranker         the cross-encoder for the rerank modes; null to leave them out
     * @param rerankCandidates how many of the top chunk hits the reranker reorders (the rest keep the fused order)
     * @param rerankModes      which of {@link #RERANK_MODES} to run, in this order
     * @param workDir          where the index and its chunks go
     * @param reuseIndex       search the index a former run left in {@code workDir} (same set and model) instead of
     *                         building it again
     * @param solr             also search the same chunks in this SolrCloud collection (emptied of the benchmark's
     *                         tenant first) and report both backends side by side; null for the embedded store alone
     */
    public record Settings(int maxQueries, CrossEncoder reranker, int rerankCandidates, List<String> rerankModes,
                           int chunkTokens, int chunkOverlap, Path workDir, boolean reuseIndex, SolrCloudConfig solr) {

        public Settings {
            rerankModes = List.copyOf(rerankModes);
            for (String mode : rerankModes) {
                if (!RERANK_MODES.containsKey(mode)) {
                    throw new IllegalArgumentException("Unknown rerank mode '" + mode + "': use "
                            + String.join(", ", RERANK_MODES.keySet()));
                }
            }
            if (rerankCandidates < 1) {
                throw new IllegalArgumentException("rerank candidates must be at least 1, got " + rerankCandidates);
            }
        }
    }

    /** One way of searching; {@code rerank}: the chunk hits reordered by the cross-encoder (blended: see above). */
    private record Mode(String name, boolean text, boolean vector, HybridFusion fusion, boolean rerank,
                        boolean blend) {

        Mode(String name, boolean text, boolean vector, HybridFusion fusion) {
            this(name, text, vector, fusion, false, false);
        }
    }

    /** A mode's scores, averaged over the queries. */
    record Scores(double recallAt1, double recallAt10, double ndcgAt10, double msPerQuery) {
    }

    private static Map<String, RerankMode> rerankModes() {
        Map<String, RerankMode> modes = new LinkedHashMap<>();
        for (RerankMode mode : List.of(new RerankMode("hybrid", HybridFusion.Method.ZSCORE, false),
                new RerankMode("bm25", null, false), new RerankMode("hybrid-rrf", HybridFusion.Method.RRF, false),
                new RerankMode("hybrid-blend", HybridFusion.Method.ZSCORE, true))) {
            modes.put(mode.name(), mode);
        }
        return java.util.Collections.unmodifiableMap(modes);
    }

    /**
     * BM25, kNN, and hybrid with each fusion method at equal weights and with the vector side at 0.3; with a reranker,
     * the chosen rerank modes: the top chunks of hybrid (standard scores, the service's default), BM25 or hybrid (RRF)
     * reordered by the cross-encoder.
     */
    private static List<Mode> modes(boolean rerank, List<String> rerankModes) {
        var modes = new ArrayList<Mode>();
        modes.add(new Mode("bm25", true, false, HybridFusion.DEFAULT));
        modes.add(new Mode("vector", false, true, HybridFusion.DEFAULT));
        for (double weight : new double[] {0.5, 0.3}) {
            for (HybridFusion.Method method : HybridFusion.Method.values()) {
                modes.add(new Mode("hybrid (%s, vector weight %.1f)".formatted(method.name().toLowerCase(), weight),
                        true, true, HybridFusion.weighted(weight).withMethod(method)));
            }
        }
        if (rerank) {
            for (String name : rerankModes) {
                RerankMode rerankMode = RERANK_MODES.get(name);
                String suffix = rerankMode.blend() ? " + rerank, blended" : " + rerank";
                modes.add(rerankMode.fusion() == null
                        ? new Mode("bm25" + suffix, true, false, HybridFusion.DEFAULT, true, rerankMode.blend())
                        : new Mode("hybrid (%s, vector weight 0.5)%s".formatted(
                                rerankMode.fusion().name().toLowerCase(), suffix), true, true,
                                HybridFusion.DEFAULT.withMethod(rerankMode.fusion()), true, rerankMode.blend()));
            }
        }
        return List.copyOf(modes);
    }

    private RetrievalBenchmark() {
    }

    public static void run(Path source, Embedder embedder, Settings settings, PrintWriter out) throws IOException {
        RetrievalSet set = RetrievalSet.read(source, settings.maxQueries(), 42);
        CrossEncoder reranker = settings.reranker();
        out.printf("Set: %s, %d documents, %d queries (%d relevance judgements); embedding model %s%s%n", set.name(),
                set.documents().size(), set.queries().size(), set.queries().keySet().stream()
                        .mapToInt(id -> set.relevant().get(id).size()).sum(),
                embedder.model().description(), reranker == null ? ""
                        : "; reranker %s over the top %d chunks".formatted(CrossEncoder.ID, settings.rerankCandidates()));
        out.flush();
        Path indexDir = settings.workDir().resolve("index");
        Path chunksFile = settings.workDir().resolve(BenchChunks.FILE_NAME);
        boolean reuse = settings.reuseIndex() && Files.isDirectory(indexDir);
        if (!reuse) {
            FileSystemUtils.deleteRecursively(settings.workDir());
            Files.createDirectories(settings.workDir());
        }
        var splitter = new ChunkSplitter(embedder::countTokens, settings.chunkTokens(), settings.chunkOverlap());
        IndexConfig config = IndexConfig.of(embedder.dimension(), VectorSimilarity.DOT_PRODUCT);
        Map<String, float[]> queryVectors = new LinkedHashMap<>();
        List<Mode> modes = modes(reranker != null, settings.rerankModes());
        Map<String, Scores> lucene = new LinkedHashMap<>();
        try (VectorStore store = VectorStore.open(indexDir, config)) {
            if (reuse) {
                out.printf("Searching the index of a former run: %d chunks%n", store.count());
            } else {
                long start = System.nanoTime();
                int chunks = index(set, splitter, embedder, store, chunksFile, out);
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("Indexed %d chunks in %.0f s (%.1f documents/s, chunking + embedding + indexing)%n",
                        chunks, seconds, set.documents().size() / seconds);
            }
            for (var query : set.queries().entrySet()) {
                queryVectors.put(query.getKey(), embedder.embedQuery(query.getValue()));
            }
            out.println();
            if (settings.solr() != null) {
                out.println("Embedded Lucene:");
            }
            header(out);
            // A query's chunk scores, shared by the rerank modes (their candidates overlap).
            Map<String, Double> rerankScores = new HashMap<>();
            for (Mode mode : modes) {
                Scores scores = evaluate(store, mode, set, queryVectors, settings.rerankCandidates(), (query, hit) ->
                        rerankScores.computeIfAbsent(query + "\u0000" + hit.chunkId(),
                                key -> reranker.score(set.queries().get(query), hit.text())));
                lucene.put(mode.name(), scores);
                row(out, mode.name(), scores);
            }
        }
        if (settings.solr() != null) {
            compareWithSolrCloud(set, settings, config, embedder, chunksFile, queryVectors, modes, lucene, out);
        }
    }

    /**
     * Loads the chunks the embedded index was built from into the SolrCloud collection, runs the modes that need no
     * reranker there (reranking reorders the same candidates the same way on either backend), and prints both.
     */
    private static void compareWithSolrCloud(RetrievalSet set, Settings settings, IndexConfig config,
            Embedder embedder, Path chunksFile, Map<String, float[]> queryVectors, List<Mode> modes,
            Map<String, Scores> lucene, PrintWriter out) throws IOException {
        if (!Files.isRegularFile(chunksFile)) {
            throw new IllegalStateException("No " + chunksFile + ": the index in " + settings.workDir() + " was built "
                    + "before chunks were kept beside it. Run once without --reuse-index to rebuild both.");
        }
        List<ChunkDocument> chunks = BenchChunks.read(chunksFile, TENANT);
        try (VectorStore solr = SolrCloudVectorStore.open(settings.solr(), config, embedder.model().id())) {
            solr.deleteMatching(TENANT, Filter.NONE);
            long start = System.nanoTime();
            for (int from = 0; from < chunks.size(); from += 1000) {
                solr.add(chunks.subList(from, Math.min(chunks.size(), from + 1000)));
            }
            solr.commit();
            out.printf("%nSolrCloud (%s, %d shards x %d replicas): loaded the same %d chunks in %.0f s%n",
                    settings.solr().collection(), settings.solr().shards(), settings.solr().replicas(),
                    solr.count(TENANT), (System.nanoTime() - start) / 1e9);
            header(out);
            Map<String, Scores> solrScores = new LinkedHashMap<>();
            for (Mode mode : modes) {
                if (!mode.rerank()) {
                    Scores scores = evaluate(solr, mode, set, queryVectors, settings.rerankCandidates(), null);
                    solrScores.put(mode.name(), scores);
                    row(out, mode.name(), scores);
                }
            }
            out.println();
            out.println("| mode | embedded Lucene nDCG@10 | SolrCloud nDCG@10 | difference | Lucene ms/query | "
                    + "SolrCloud ms/query |");
            out.println("|---|---|---|---|---|---|");
            solrScores.forEach((mode, s) -> out.printf("| %s | %.4f | %.4f | %+.4f | %.0f | %.0f |%n", mode,
                    lucene.get(mode).ndcgAt10(), s.ndcgAt10(), s.ndcgAt10() - lucene.get(mode).ndcgAt10(),
                    lucene.get(mode).msPerQuery(), s.msPerQuery()));
            out.flush();
        }
    }

    /** A pair's cross-encoder score, by query id and chunk hit. */
    private interface PairScore {
        double score(String queryId, SearchHit hit);
    }

    private static Scores evaluate(VectorStore store, Mode mode, RetrievalSet set, Map<String, float[]> queryVectors,
            int rerankCandidates, PairScore pairScore) throws IOException {
        double recall1 = 0;
        double recall10 = 0;
        double ndcg = 0;
        long started = System.nanoTime();
        for (var query : set.queries().entrySet()) {
            List<SearchHit> hits = store.search(request(mode, query.getValue(), queryVectors.get(query.getKey())));
            if (mode.rerank()) {
                hits = reranked(hits, rerankCandidates, hit -> pairScore.score(query.getKey(), hit), mode.blend());
            }
            List<String> ranked = documents(hits);
            Set<String> answers = set.relevant().get(query.getKey());
            recall1 += recall(ranked, answers, 1);
            recall10 += recall(ranked, answers, DOCUMENTS_PER_QUERY);
            ndcg += ndcg(ranked, answers);
        }
        int n = set.queries().size();
        return new Scores(recall1 / n, recall10 / n, ndcg / n, (System.nanoTime() - started) / 1e6 / n);
    }

    private static void header(PrintWriter out) {
        out.println("| mode | Recall@1 | Recall@10 | nDCG@10 | ms/query |");
        out.println("|---|---|---|---|---|");
        out.flush();
    }

    private static void row(PrintWriter out, String mode, Scores scores) {
        out.printf("| %s | %.3f | %.3f | %.3f | %.0f |%n", mode, scores.recallAt1(), scores.recallAt10(),
                scores.ndcgAt10(), scores.msPerQuery());
        out.flush();
    }

    private static int index(RetrievalSet set, ChunkSplitter splitter, Embedder embedder, VectorStore store,
            Path chunksFile, PrintWriter out) throws IOException {
        int count = 0;
        int documents = 0;
        long start = System.nanoTime();
        var batch = new ArrayList<ChunkDocument>();
        try (var kept = BenchChunks.writer(chunksFile)) {
            for (var document : set.documents().entrySet()) {
                List<Chunk> chunks = splitter.split(document.getValue());
                List<float[]> vectors = embedder.embedPassages(chunks.stream().map(Chunk::text).toList());
                for (int i = 0; i < chunks.size(); i++) {
                    var chunk = new ChunkDocument(document.getKey() + "#" + i, document.getKey(), TENANT,
                            chunks.get(i).text(), vectors.get(i), null);
                    batch.add(chunk);
                    kept.write(chunk);
                }
                count += chunks.size();
                if (batch.size() >= 256) {
                    store.add(batch);
                    batch.clear();
                }
                // Progress for long sets: an embedding of a whole BEIR corpus takes many minutes on a few cores.
                if (++documents % 500 == 0) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    out.printf("  %d of %d documents, %d chunks, %.0f s (%.1f documents/s)%n", documents,
                            set.documents().size(), count, seconds, documents / seconds);
                    out.flush();
                }
            }
        }
        store.add(batch);
        store.commit();
        return count;
    }

    private static SearchRequest request(Mode mode, String text, float[] vector) {
        SearchRequest request = mode.text() && mode.vector() ? SearchRequest.hybrid(TENANT, text, vector)
                : mode.text() ? SearchRequest.text(TENANT, text) : SearchRequest.vector(TENANT, vector);
        return request.withTopK(CHUNK_HITS).withFusion(mode.fusion());
    }

    /**
     * The top candidates in the cross-encoder's order, or blended with the retrieval's score (stable: ties keep the
     * fused order); the rest after them as they were.
     */
    static List<SearchHit> reranked(List<SearchHit> hits, int candidates, ToDoubleFunction<SearchHit> score,
            boolean blend) {
        var scored = new ArrayList<SearchHit>(hits.subList(0, Math.min(candidates, hits.size())));
        double[] model = scored.stream().mapToDouble(score).toArray();
        if (blend) {
            double[] cross = standardScores(model);
            double[] fused = standardScores(scored.stream().mapToDouble(SearchHit::score).toArray());
            for (int i = 0; i < model.length; i++) {
                model[i] = cross[i] + fused[i];
            }
        }
        Map<String, Double> scores = new HashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            scores.put(scored.get(i).chunkId(), model[i]);
        }
        scored.sort(Comparator.comparingDouble((SearchHit hit) -> scores.get(hit.chunkId())).reversed());
        scored.addAll(hits.subList(scored.size(), hits.size()));
        return scored;
    }

    /** Documents in the order of their first chunk's hit. */
    private static List<String> documents(List<SearchHit> hits) {
        var documents = new LinkedHashSet<String>();
        for (SearchHit hit : hits) {
            documents.add(hit.documentId());
            if (documents.size() == DOCUMENTS_PER_QUERY) {
                break;
            }
        }
        return List.copyOf(documents);
    }

    /** (x − mean) / standard deviation; all zeros when the values are all equal. */
    static double[] standardScores(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        double variance = java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0);
        double deviation = Math.sqrt(variance);
        return java.util.Arrays.stream(values).map(v -> deviation == 0 ? 0 : (v - mean) / deviation).toArray();
    }

    /** The share of the relevant documents among the first {@code k} ranked (pytrec_eval's recall_k). */
    static double recall(List<String> ranked, Set<String> answers, int k) {
        if (answers.isEmpty()) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(answers::contains).count();
        return (double) found / answers.size();
    }

    static double ndcg(List<String> ranked, Set<String> answers) {
        double dcg = 0;
        for (int i = 0; i < Math.min(ranked.size(), DOCUMENTS_PER_QUERY); i++) {
            if (answers.contains(ranked.get(i))) {
                dcg += 1 / log2(i + 2);
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(answers.size(), DOCUMENTS_PER_QUERY); i++) {
            ideal += 1 / log2(i + 2);
        }
        return dcg / ideal;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
