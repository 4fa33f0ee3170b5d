package dev.hanul.retrieval.bench;

import dev.hanul.embedding.Embedder;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.HybridFusion;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.Metadata;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
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
import java.util.stream.Stream;

/**
 * Retrieval quality as search gives it: the set's documents are chunked as ingestion chunks them, embedded with the
 * configured model and indexed in a fresh chunk index; every query then runs in each mode, and the documents of the
 * hits (first chunk of a document counts) are scored against the set's answers: Recall@1 (the first document
 * answers the query) and nDCG@10 (binary relevance).
 */
public final class RetrievalBenchmark {

    private static final String TENANT = "bench";
    private static final int DOCUMENTS_PER_QUERY = 10;
    private static final int CHUNK_HITS = 50;

    /** One way of searching; {@code rerank}: the chunk hits reordered by the cross-encoder. */
    private record Mode(String name, boolean text, boolean vector, HybridFusion fusion, boolean rerank) {
    }

    /**
     * BM25, kNN, and hybrid with each fusion method at equal weights and with the vector side at 0.3; with a reranker,
     * also hybrid (standard scores and RRF) and BM25 with the top {@value #CHUNK_HITS} chunks reranked.
     */
    private static List<Mode> modes(boolean rerank) {
        var modes = new ArrayList<Mode>();
        modes.add(new Mode("bm25", true, false, HybridFusion.DEFAULT, false));
        modes.add(new Mode("vector", false, true, HybridFusion.DEFAULT, false));
        for (double weight : new double[] {0.5, 0.3}) {
            for (HybridFusion.Method method : HybridFusion.Method.values()) {
                modes.add(new Mode("hybrid (%s, vector weight %.1f)".formatted(method.name().toLowerCase(), weight),
                        true, true, HybridFusion.weighted(weight).withMethod(method), false));
            }
        }
        if (rerank) {
            modes.add(new Mode("bm25 + rerank", true, false, HybridFusion.DEFAULT, true));
            for (HybridFusion.Method method : List.of(HybridFusion.Method.ZSCORE, HybridFusion.Method.RRF)) {
                modes.add(new Mode("hybrid (%s, vector weight 0.5) + rerank".formatted(method.name().toLowerCase()),
                        true, true, HybridFusion.DEFAULT.withMethod(method), true));
            }
        }
        return List.copyOf(modes);
    }

    private RetrievalBenchmark() {
    }

    /**
     * @param reuseIndex search the index a former run left in {@code workDir} (same set and model) instead of
     *                   building it again
     * @param reranker   the cross-encoder for the rerank modes; null to leave them out
     * @param rerankCandidates how many of the top chunk hits the reranker reorders (the rest keep the fused order)
     */
    public static void run(Path source, int maxQueries, Embedder embedder, CrossEncoder reranker,
            int rerankCandidates, int chunkTokens, int chunkOverlap, Path workDir, boolean reuseIndex,
            PrintWriter out) throws IOException {
        RetrievalSet set = RetrievalSet.read(source, maxQueries, 42);
        out.printf("Set: %s, %d documents, %d queries; embedding model %s%s%n", set.name(),
                set.documents().size(), set.queries().size(), embedder.model().description(), reranker == null ? ""
                        : "; reranker %s over the top %d chunks".formatted(CrossEncoder.ID, rerankCandidates));
        out.flush();
        boolean reuse = reuseIndex && Files.isDirectory(workDir);
        if (!reuse) {
            deleteRecursively(workDir);
        }
        var splitter = new ChunkSplitter(embedder::countTokens, chunkTokens, chunkOverlap);
        try (VectorStore store = VectorStore.open(workDir, IndexConfig.of(embedder.dimension(),
                VectorSimilarity.DOT_PRODUCT))) {
            if (reuse) {
                out.printf("Searching the index of a former run: %d chunks%n", store.count());
            } else {
                long start = System.nanoTime();
                int chunks = index(set, splitter, embedder, store);
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf("Indexed %d chunks in %.0f s (%.1f documents/s, chunking + embedding + indexing)%n",
                        chunks, seconds, set.documents().size() / seconds);
            }
            out.println();
            out.println("| mode | Recall@1 | nDCG@10 | ms/query |");
            out.println("|---|---|---|---|");
            Map<String, float[]> queryVectors = new LinkedHashMap<>();
            for (var query : set.queries().entrySet()) {
                queryVectors.put(query.getKey(), embedder.embedQuery(query.getValue()));
            }
            // A query's chunk scores, shared by the rerank modes (their candidates overlap).
            Map<String, Double> rerankScores = new HashMap<>();
            for (Mode mode : modes(reranker != null)) {
                double recall = 0;
                double ndcg = 0;
                long started = System.nanoTime();
                for (var query : set.queries().entrySet()) {
                    List<SearchHit> hits = store.search(request(mode, query.getValue(),
                            queryVectors.get(query.getKey())));
                    if (mode.rerank()) {
                        hits = reranked(hits, rerankCandidates, hit -> rerankScores.computeIfAbsent(query.getKey() + "\u0000"
                                + hit.chunkId(), key -> reranker.score(query.getValue(), hit.text())));
                    }
                    List<String> ranked = documents(hits);
                    Set<String> answers = set.relevant().get(query.getKey());
                    recall += !ranked.isEmpty() && answers.contains(ranked.getFirst()) ? 1 : 0;
                    ndcg += ndcg(ranked, answers);
                }
                int n = set.queries().size();
                out.printf("| %s | %.3f | %.3f | %.0f |%n", mode.name(), recall / n, ndcg / n,
                        (System.nanoTime() - started) / 1e6 / n);
                out.flush();
            }
        }
    }

    private static int index(RetrievalSet set, ChunkSplitter splitter, Embedder embedder, VectorStore store)
            throws IOException {
        int count = 0;
        var batch = new ArrayList<ChunkDocument>();
        for (var document : set.documents().entrySet()) {
            List<Chunk> chunks = splitter.split(document.getValue());
            List<float[]> vectors = embedder.embedPassages(chunks.stream().map(Chunk::text).toList());
            for (int i = 0; i < chunks.size(); i++) {
                batch.add(new ChunkDocument(document.getKey() + "#" + i, document.getKey(), TENANT,
                        chunks.get(i).text(), vectors.get(i), Metadata.EMPTY));
            }
            count += chunks.size();
            if (batch.size() >= 256) {
                store.add(batch);
                batch.clear();
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

    /** The hits in the cross-encoder's order (stable: ties keep the fused order). */
    private static List<SearchHit> reranked(List<SearchHit> hits, int candidates, ToDoubleFunction<SearchHit> score) {
        var scored = new ArrayList<SearchHit>(hits.subList(0, Math.min(candidates, hits.size())));
        Map<String, Double> scores = new HashMap<>();
        for (SearchHit hit : scored) {
            scores.put(hit.chunkId(), score.applyAsDouble(hit));
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

    static double ndcg(List<String> ranked, Set<String> answers) {
        double dcg = 0;
        for (int i = 0; i < ranked.size(); i++) {
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

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
