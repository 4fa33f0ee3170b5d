package dev.hanul.retrieval.bench;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.index.ChunkDocument;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.SearchHit;
import dev.hanul.index.SearchRequest;
import dev.hanul.index.SolrCloudTestCluster;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import dev.hanul.index.solrcloud.SolrCloudConfig;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Retrieval quality is a property of Hanul, not of the backend: the SQuAD 2.0 sample (87 paragraphs, 164 questions,
 * src/test/resources/eval/squad2-sample) embedded with the bundled all-MiniLM-L6-v2, indexed into the embedded
 * Lucene store and into a SolrCloud collection of 2 shards × 2 replicas, searched by BM25, kNN and hybrid; nDCG@10
 * must agree within 0.02 per mode. The table goes to standard output and target/backend-parity.md.
 */
class BackendParityTest {

    private static final Path SET = Path.of("src/test/resources/eval/squad2-sample");
    private static final double NOISE = 0.02;

    @TempDir
    Path dir;

    @Test
    void ndcgAt10AgreesBetweenEmbeddedLuceneAndSolrCloud() throws Exception {
        SolrCloudTestCluster cluster = SolrCloudTestCluster.get();
        Map<String, String> documents = corpus();
        Map<String, Set<String>> relevant = qrels();
        Map<String, String> queries = queries(relevant.keySet());
        SolrCloudConfig solr = cluster.newCollection("parity");
        var table = new StringBuilder("| mode | embedded Lucene nDCG@10 | SolrCloud nDCG@10 | difference | "
                + "Lucene ms/query | SolrCloud ms/query |\n|---|---|---|---|---|---|\n");
        try (Embedder embedder = Embedder.load(EmbeddingProperties.bundled());
             VectorStore lucene = VectorStore.open(dir, config(embedder));
             VectorStore solrCloud = SolrCloudVectorStore.open(solr, config(embedder))) {
            var ids = new ArrayList<>(documents.keySet());
            List<float[]> vectors = embedder.embedPassages(ids.stream().map(documents::get).toList());
            var chunks = new ArrayList<ChunkDocument>();
            for (int i = 0; i < ids.size(); i++) {
                chunks.add(new ChunkDocument(ids.get(i) + "#0", ids.get(i), "eval", documents.get(ids.get(i)),
                        vectors.get(i), null));
            }
            lucene.add(chunks);
            solrCloud.add(chunks);
            Map<String, float[]> queryVectors = new LinkedHashMap<>();
            queries.forEach((id, text) -> queryVectors.put(id, embedder.embedQuery(text)));

            for (String mode : List.of("bm25", "knn", "hybrid")) {
                double[] luceneRun = evaluate(lucene, mode, queries, queryVectors, relevant);
                double[] solrRun = evaluate(solrCloud, mode, queries, queryVectors, relevant);
                table.append("| %s | %.3f | %.3f | %+.3f | %.1f | %.1f |%n".formatted(mode, luceneRun[0], solrRun[0],
                        solrRun[0] - luceneRun[0], luceneRun[1], solrRun[1]));
                assertThat(solrRun[0]).as("nDCG@10 of %s", mode).isCloseTo(luceneRun[0], within(NOISE));
            }
        } finally {
            System.out.println(table);
            Files.writeString(Path.of("target", "backend-parity.md"), table);
            cluster.deleteCollection(solr.collection());
        }
    }

    private static IndexConfig config(Embedder embedder) {
        return IndexConfig.of(embedder.dimension(), VectorSimilarity.DOT_PRODUCT);
    }

    /** Mean nDCG@10 and milliseconds per query. */
    private static double[] evaluate(VectorStore store, String mode, Map<String, String> queries,
            Map<String, float[]> vectors, Map<String, Set<String>> relevant) throws IOException {
        double ndcg = 0;
        long started = System.nanoTime();
        for (var query : queries.entrySet()) {
            SearchRequest request = switch (mode) {
                case "bm25" -> SearchRequest.text("eval", query.getValue());
                case "knn" -> SearchRequest.vector("eval", vectors.get(query.getKey()));
                default -> SearchRequest.hybrid("eval", query.getValue(), vectors.get(query.getKey()));
            };
            List<String> ranked = store.search(request.withTopK(10)).stream().map(SearchHit::documentId).toList();
            ndcg += RetrievalBenchmark.ndcg(ranked, relevant.get(query.getKey()));
        }
        double ms = (System.nanoTime() - started) / 1e6 / queries.size();
        return new double[] {ndcg / queries.size(), ms};
    }

    private static Map<String, String> corpus() throws IOException {
        var json = new ObjectMapper();
        Map<String, String> documents = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SET.resolve("corpus.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode document = json.readTree(line);
                documents.put(document.get("_id").asString(), document.path("title").asString("") + "\n\n"
                        + document.get("text").asString());
            }
        }
        return documents;
    }

    private static Map<String, Set<String>> qrels() throws IOException {
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(SET.resolve("qrels.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t");
            if (fields.length >= 3 && Integer.parseInt(fields[2].strip()) > 0) {
                relevant.computeIfAbsent(fields[0], id -> new HashSet<>()).add(fields[1]);
            }
        }
        return relevant;
    }

    private static Map<String, String> queries(Set<String> judged) throws IOException {
        var json = new ObjectMapper();
        Map<String, String> queries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SET.resolve("queries.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode query = json.readTree(line);
                if (judged.contains(query.get("_id").asString())) {
                    queries.put(query.get("_id").asString(), query.get("text").asString());
                }
            }
        }
        return queries;
    }
}
