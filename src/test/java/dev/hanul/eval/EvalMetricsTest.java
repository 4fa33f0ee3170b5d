package dev.hanul.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metrics against the references people trust: a ranking worked by hand, pytrec_eval on 25 graded queries and on a
 * real BM25 run over the committed SQuAD 2.0 sample (164 questions), and SQuAD v1.1's official script on 20 answer
 * pairs (src/test/resources/eval/make_eval_fixtures.py and the sample's README say how each file was made).
 */
class EvalMetricsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aRankingWorkedByHand() {
        // Relevant: a (grade 2) at rank 2, c (grade 1) at rank 4; b and d not relevant; e relevant but not retrieved.
        List<String> ranking = List.of("b", "a", "d", "c");
        Map<String, Integer> qrels = Map.of("a", 2, "c", 1, "e", 1, "b", 0);

        double dcg = 2 / log2(3) + 1 / log2(5);
        double idcg = 2 / log2(2) + 1 / log2(3) + 1 / log2(4);
        assertThat(RetrievalMetrics.ndcg(ranking, qrels, 10)).isCloseTo(dcg / idcg, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(ranking, qrels, 2)).isCloseTo((2 / log2(3)) / (2 + 1 / log2(3)),
                within(1e-12));
        assertThat(RetrievalMetrics.recall(ranking, qrels, 10)).isEqualTo(2.0 / 3);
        assertThat(RetrievalMetrics.recall(ranking, qrels, 3)).isEqualTo(1.0 / 3);
        assertThat(RetrievalMetrics.reciprocalRank(ranking, qrels)).isEqualTo(0.5);
        assertThat(RetrievalMetrics.hit(ranking, qrels, 1)).isZero();
        assertThat(RetrievalMetrics.hit(ranking, qrels, 2)).isOne();
    }

    @Test
    void retrievalMetricsEqualPytrecEval() throws IOException {
        JsonNode reference = read("retrieval_reference.json");
        assertThat(reference.size()).isEqualTo(25);
        for (JsonNode query : reference) {
            List<String> ranking = new ArrayList<>();
            query.get("ranking").forEach(id -> ranking.add(id.asString()));
            Map<String, Integer> qrels = new LinkedHashMap<>();
            query.get("qrels").properties().forEach(e -> qrels.put(e.getKey(), e.getValue().asInt()));
            String id = query.get("query").asString();
            for (int k : new int[] {5, 10}) {
                Map<String, Double> metrics = RetrievalMetrics.of(ranking, qrels, k);
                assertThat(metrics.get("ndcg@" + k)).as(id + " ndcg@" + k)
                        .isCloseTo(query.get("ndcg@" + k).asDouble(), within(1e-9));
                assertThat(metrics.get("recall@" + k)).as(id + " recall@" + k)
                        .isCloseTo(query.get("recall@" + k).asDouble(), within(1e-9));
                assertThat(metrics.get("mrr")).as(id + " mrr").isCloseTo(query.get("mrr").asDouble(),
                        within(1e-9));
            }
        }
    }

    @Test
    void aRealRunOnTheCommittedBeirSetEqualsPytrecEval() throws IOException {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (InputStream in = EvalMetricsTest.class.getResourceAsStream("/eval/squad2-sample/qrels.tsv")) {
            new String(in.readAllBytes()).lines().skip(1).map(line -> line.split("\t"))
                    .forEach(cells -> qrels.computeIfAbsent(cells[0], q -> new LinkedHashMap<>())
                            .put(cells[1], Integer.parseInt(cells[2])));
        }
        JsonNode reference = read("squad2-sample/bm25_run_reference.json");
        assertThat(reference.size()).isEqualTo(164);
        for (JsonNode query : reference) {
            List<String> ranking = new ArrayList<>();
            query.get("ranking").forEach(id -> ranking.add(id.asString()));
            Map<String, Integer> judged = qrels.get(query.get("query").asString());
            Map<String, Double> metrics = RetrievalMetrics.of(ranking, judged, 10);
            assertThat(metrics.get("ndcg@10")).isCloseTo(query.get("ndcg@10").asDouble(), within(1e-9));
            assertThat(metrics.get("recall@10")).isCloseTo(query.get("recall@10").asDouble(), within(1e-9));
            assertThat(metrics.get("mrr")).isCloseTo(query.get("mrr").asDouble(), within(1e-9));
        }
    }

    @Test
    void answerMetricsEqualTheOfficialSquadScript() throws IOException {
        for (JsonNode pair : read("squad_reference.json")) {
            List<String> answers = new ArrayList<>();
            pair.get("answers").forEach(a -> answers.add(a.asString()));
            AnswerMetrics.Scores scores = AnswerMetrics.of(pair.get("prediction").asString(), answers);
            String label = pair.get("prediction").asString() + " vs " + answers;
            assertThat(scores.exactMatch()).as(label + " EM").isEqualTo(pair.get("em").asDouble());
            assertThat(scores.f1()).as(label + " F1").isCloseTo(pair.get("f1").asDouble(), within(1e-12));
        }
    }

    @Test
    void koreanAnswersAreComparedByCharactersAsKorQuadDoes() {
        // "서울은" is "서울" with a particle: by whole words it would score nothing.
        AnswerMetrics.Scores particle = AnswerMetrics.of("서울은", List.of("서울"));
        assertThat(particle.exactMatch()).isZero();
        assertThat(particle.f1()).isCloseTo(2 * (2.0 / 3) * 1 / (2.0 / 3 + 1), within(1e-12));
        assertThat(AnswerMetrics.of("《대한 민국》", List.of("대한민국")).exactMatch()).isOne();
        assertThat(AnswerMetrics.of("부산", List.of("서울")).f1()).isZero();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = EvalMetricsTest.class.getResourceAsStream("/eval/" + name)) {
            return JSON.readTree(in);
        }
    }
}
