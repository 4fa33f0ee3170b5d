package dev.hanul.retrieval.bench;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.Metadata;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SolrCloudTestCluster;
import dev.hanul.index.TextLanguage;
import dev.hanul.index.solrcloud.SolrCloudConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The retrieval benchmark on the committed SQuAD 2.0 sample (87 paragraphs, 164 questions, BEIR layout with
 * {@code qrels.tsv}), embedded with the bundled all-MiniLM-L6-v2; and its metrics against values computed by hand as
 * pytrec_eval computes them.
 */
class RetrievalBenchmarkTest {

    private static final Path SET = Path.of("src/test/resources/eval/squad2-sample");
    private static final Pattern ROW = Pattern.compile(
            "^\\| (.+?) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| [0-9]+ \\|$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void recallIsTheShareOfRelevantDocumentsFoundAndNdcgIsBinaryAtTen() {
        List<String> ranked = List.of("a", "b", "c");
        Set<String> answers = Set.of("b", "d");

        assertThat(RetrievalBenchmark.recall(ranked, answers, 1)).isZero();
        assertThat(RetrievalBenchmark.recall(ranked, answers, 10)).isEqualTo(0.5);
        assertThat(RetrievalBenchmark.recall(List.of("b", "d"), answers, 1)).isEqualTo(0.5);
        // DCG 1/log2(3); ideal DCG 1 + 1/log2(3) (two relevant documents).
        double gain = 1 / (Math.log(3) / Math.log(2));
        assertThat(RetrievalBenchmark.ndcg(ranked, answers)).isCloseTo(gain / (1 + gain), within(1e-12));
        assertThat(RetrievalBenchmark.ndcg(List.of("d", "b"), answers)).isCloseTo(1, within(1e-12));
    }

    @Test
    void scoresEveryModeOnABeirDirectoryAndKeepsTheChunksItIndexed() throws Exception {
        String first;
        try (Embedder embedder = Embedder.load(EmbeddingProperties.bundled())) {
            first = run(embedder, false, null);
            Map<String, double[]> rows = rows(first);
            assertThat(first).contains("Set: squad2-sample, 87 documents, 164 queries (164 relevance judgements)");
            assertThat(rows).containsKeys("bm25", "vector", "hybrid (zscore, vector weight 0.5)",
                    "hybrid (rrf, vector weight 0.3)");
            // Questions written from their paragraph: BM25 and the vectors find more than half of them first (the
            // English vectors 0.59 in the run that set this bound); fusion is not worse than the weaker retriever.
            assertThat(rows.get("bm25")[0]).isGreaterThan(0.6);
            assertThat(rows.get("vector")[0]).isGreaterThan(0.5);
            assertThat(rows.get("hybrid (zscore, vector weight 0.5)")[2])
                    .isGreaterThanOrEqualTo(Math.min(rows.get("bm25")[2], rows.get("vector")[2]));
            for (double[] row : rows.values()) {
                // One relevant paragraph per question: Recall@1 ≤ nDCG@10 ≤ Recall@10.
                assertThat(row[0]).isLessThanOrEqualTo(row[2]);
                assertThat(row[2]).isLessThanOrEqualTo(row[1]);
            }

            List<ChunkDocument> kept = BenchChunks.read(dir.resolve(BenchChunks.FILE_NAME), "t");
            assertThat(first).contains("Indexed " + kept.size() + " chunks");
            assertThat(kept).extracting(ChunkDocument::documentId).contains("normans-0");
            assertThat(kept.getFirst().vector()).hasSize(embedder.dimension());
            assertThat(kept.getFirst().text()).startsWith("Normans");

            String again = run(embedder, true, null);
            assertThat(again).contains("Searching the index of a former run: " + kept.size() + " chunks");
            assertThat(rows(again).get("hybrid (zscore, vector weight 0.5)"))
                    .containsExactly(rows.get("hybrid (zscore, vector weight 0.5)"));
        }
    }

    @Test
    void solrCloudSearchesTheSameChunksAsTheEmbeddedIndex() throws Exception {
        SolrCloudTestCluster cluster = SolrCloudTestCluster.get();
        SolrCloudConfig solr = cluster.newCollection("bench_retrieval");
        try (Embedder embedder = Embedder.load(EmbeddingProperties.bundled())) {
            String output = run(embedder, false, solr);
            assertThat(output).contains("SolrCloud (" + solr.collection() + ", 2 shards x 2 replicas)");
            Matcher difference = Pattern.compile("^\\| (bm25|vector|hybrid \\(zscore, vector weight 0\\.5\\)) \\| "
                    + "([0-9.]+) \\| ([0-9.]+) \\| ([-+][0-9.]+) \\|", Pattern.MULTILINE).matcher(output);
            int found = 0;
            while (difference.find()) {
                found++;
                assertThat(Math.abs(Double.parseDouble(difference.group(4)))).as(difference.group(1))
                        .isLessThanOrEqualTo(0.02);
            }
            assertThat(found).isEqualTo(3);
        } finally {
            cluster.deleteCollection(solr.collection());
        }
    }

    @Test
    void rerankingOrdersTheCandidatesByTheModelOrByABlendOfStandardScores() {
        List<SearchHit> hits = List.of(hit("a", 3.0), hit("b", 2.0), hit("c", 1.0), hit("d", 0.5));
        Map<String, Double> model = Map.of("a", 0.0, "b", 1.0, "c", 10.0, "d", 99.0);

        // Three candidates: d is not one, so it stays after them whatever the model says.
        assertThat(RetrievalBenchmark.reranked(hits, 3, hit -> model.get(hit.chunkId()), false))
                .extracting(SearchHit::chunkId).containsExactly("c", "b", "a", "d");
        // Blended: fused z-scores a 1.22, b 0, c −1.22; model z-scores a −0.82, b −0.59, c 1.41: a 0.41, c 0.18, b −0.59.
        assertThat(RetrievalBenchmark.reranked(hits, 3, hit -> model.get(hit.chunkId()), true))
                .extracting(SearchHit::chunkId).containsExactly("a", "c", "b", "d");
        assertThat(RetrievalBenchmark.standardScores(new double[] {1, 1})).containsExactly(0, 0);
    }

    @Test
    void anUnknownRerankModeIsRefusedNamingTheChoices() {
        assertThatThrownBy(() -> new RetrievalBenchmark.Settings(10, null, 20, List.of("hybird"), 200, 30, dir, false,
                null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown rerank mode 'hybird': use hybrid, bm25, hybrid-rrf, hybrid-blend");
    }

    @Test
    void qrelsWithoutAHeaderAreReadWhole() throws IOException {
        Path set = Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(set.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "Cats", "text": "Cats purr."}
                {"_id": "d2", "title": "", "text": "Dogs bark."}
                """);
        Files.writeString(set.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "Which animal purrs?"}
                {"_id": "q2", "text": "Which animal barks?"}
                """);
        Files.createDirectories(set.resolve("qrels"));
        Files.writeString(set.resolve("qrels/test.tsv"), "q1\td1\t1\nq2\td2\t1\nq2\td1\t0\n");

        RetrievalSet read = RetrievalSet.read(set, 10, 42);

        assertThat(read.relevant()).isEqualTo(Map.of("q1", Set.of("d1"), "q2", Set.of("d2")));
        assertThat(read.documents()).containsEntry("d1", "Cats\n\nCats purr.").containsEntry("d2", "Dogs bark.");
    }

    private static SearchHit hit(String id, double score) {
        return new SearchHit(id, id, "t", id, TextLanguage.ENGLISH, Metadata.EMPTY, score, null, null);
    }

    private String run(Embedder embedder, boolean reuse, SolrCloudConfig solr) throws IOException {
        var text = new StringWriter();
        RetrievalBenchmark.run(SET, embedder, new RetrievalBenchmark.Settings(1000, null, 50,
                List.of("hybrid"), 200, 30, dir, reuse, solr), new PrintWriter(text, true));
        return text.toString();
    }

    /** The first table's rows: mode → Recall@1, Recall@10, nDCG@10. */
    private static Map<String, double[]> rows(String output) {
        var rows = new java.util.LinkedHashMap<String, double[]>();
        Matcher row = ROW.matcher(output);
        while (row.find()) {
            rows.putIfAbsent(row.group(1), new double[] {Double.parseDouble(row.group(2)),
                    Double.parseDouble(row.group(3)), Double.parseDouble(row.group(4))});
        }
        return rows;
    }
}
