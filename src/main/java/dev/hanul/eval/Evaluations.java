package dev.hanul.eval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluation for the rest of the service (a fine-tuning job evaluates its base model and its adapter): chat
 * datasets, runs and their mean scores, the same rows and the same runner as {@code /api/eval}, so what a job
 * records is listed, compared and exported there like any run.
 */
@Service
public class Evaluations {

    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };

    /** One message of a chat item. */
    public record Turn(String role, String content) {
    }

    /**
     * A conversation that the model answers as it is (no retrieval), scored against reference answers.
     *
     * @param messages system messages, earlier turns and, last, the user's turn
     */
    public record ChatItem(String id, List<Turn> messages, List<String> answers) {
    }

    /**
     * A run as it stands.
     *
     * @param means per metric, the mean over the items scored without an error
     * @param failed items that ended in an error (their error is in the run's results)
     */
    public record RunSummary(String id, String name, String status, int total, int done, int failed, String error,
                             Map<String, Double> means) {

        /** Finished or failed: nothing more will change. */
        public boolean ended() {
            return status.equals(EvalRun.FINISHED) || status.equals(EvalRun.FAILED);
        }
    }

    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private final EvalRunner runner;
    private final JsonMapper json;

    Evaluations(R2dbcEntityTemplate database, TransactionalOperator transaction, EvalRunner runner, JsonMapper json) {
        this.database = database;
        this.transaction = transaction;
        this.runner = runner;
        this.json = json;
    }

    /** Stores a dataset of chat items (format {@code chat}); its id. */
    public Mono<String> createChatDataset(String name, String tenant, List<ChatItem> items, String author) {
        if (items.isEmpty()) {
            return Mono.error(new IllegalArgumentException("a chat dataset needs at least one item"));
        }
        String id = UUID.randomUUID().toString();
        return database.insert(new EvalDataset(id, name, tenant, "chat", items.size(), author, Instant.now()))
                .thenMany(Flux.range(0, items.size()).concatMap(i -> {
                    ChatItem item = items.get(i);
                    return database.insert(new EvalItem(id + ":" + i, id, i, item.id(),
                            item.messages().getLast().content(), json.writeValueAsString(item.answers()),
                            "{}", json.writeValueAsString(item.messages())));
                }))
                .then(Mono.just(id))
                .as(transaction::transactional);
    }

    /** Whether a dataset with this id exists, and how many items it has (empty when it does not exist). */
    public Mono<Integer> itemCount(String datasetId) {
        return database.selectOne(Query.query(Criteria.where("id").is(datasetId)), EvalDataset.class)
                .map(EvalDataset::itemCount);
    }

    /**
     * Queues a run of the dataset with {@code model} (a version, alias or LoRA adapter), greedy answers of at most
     * {@code maxTokens}; its id. It runs after the runs queued before it.
     */
    public Mono<String> startRun(String datasetId, String name, String model, Integer maxTokens, String author) {
        var config = new RunConfig(model, null, null, null, null, null, true, maxTokens);
        return itemCount(datasetId)
                .switchIfEmpty(Mono.error(() -> new IllegalArgumentException("no evaluation dataset " + datasetId)))
                .flatMap(total -> database.insert(EvalRunner.queued(datasetId, name, json.writeValueAsString(config),
                        total, author)))
                .doOnNext(run -> runner.start(run.id()))
                .map(EvalRun::id);
    }

    /** A run's status, progress and mean scores; empty when there is no such run. */
    public Mono<RunSummary> run(String runId) {
        return database.selectOne(Query.query(Criteria.where("id").is(runId)), EvalRun.class)
                .flatMap(run -> database.select(Query.query(Criteria.where("run_id").is(runId)), EvalResult.class)
                        .collectList()
                        .map(results -> {
                            List<Map<String, Double>> scored = new ArrayList<>();
                            int failed = 0;
                            for (EvalResult result : results) {
                                if (result.error() == null) {
                                    scored.add(json.readValue(result.metrics(), METRICS));
                                } else {
                                    failed++;
                                }
                            }
                            return new RunSummary(run.id(), run.name(), run.status(), run.total(), run.done(),
                                    failed, run.error(), means(scored));
                        }));
    }

    /** Per metric, the mean over the items that have it (as {@code GET /api/eval/runs/{id}} shows it). */
    static Map<String, Double> means(List<Map<String, Double>> items) {
        Map<String, List<Double>> byMetric = new LinkedHashMap<>();
        items.forEach(item -> item.forEach((metric, value) -> byMetric.computeIfAbsent(metric,
                m -> new ArrayList<>()).add(value)));
        Map<String, Double> means = new LinkedHashMap<>();
        byMetric.forEach((metric, values) -> means.put(metric, values.stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN)));
        return means;
    }
}
