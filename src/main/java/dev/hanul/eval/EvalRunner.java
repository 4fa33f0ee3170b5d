package dev.hanul.eval;

import dev.hanul.chat.ChatEvent;
import dev.hanul.chat.ChatService;
import dev.hanul.chat.RagRequest;
import dev.hanul.chat.RagRequestChecker;
import dev.hanul.embedding.Embedder;
import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import dev.hanul.index.SearchHit;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.SamplingOptions;
import dev.hanul.monitoring.Groundedness;
import dev.hanul.retrieval.Retriever;
import dev.hanul.retrieval.SearchQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes evaluation runs in the background, one at a time and one item after another (a run measures latency, so
 * runs do not compete with each other), through the same retrieval and RAG entry point that answers users. Each
 * item's result is stored as soon as it is known, so a run that is interrupted (a restart) resumes where it stopped:
 * at start, runs left running are picked up again and skip the items they have.
 */
@Component
class EvalRunner {

    private static final Logger log = LoggerFactory.getLogger(EvalRunner.class);
    private static final Duration MODEL_WAIT = Duration.ofSeconds(5);
    /** Ten minutes of waiting for a model to load before the run stops (to resume at the next start). */
    private static final int MODEL_WAIT_ATTEMPTS = 120;
    /** OpenTelemetry's event name for an evaluation result (GenAI semantic conventions). */
    private static final Logger events = LoggerFactory.getLogger("gen_ai.evaluation.result");
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Integer>> GRADES = new TypeReference<>() { };
    private static final TypeReference<List<RagRequest.Turn>> TURNS = new TypeReference<>() { };

    private final R2dbcEntityTemplate database;
    private final Retriever retriever;
    private final RagRequestChecker checker;
    private final ChatService chat;
    private final JsonMapper json;
    private final AnswerQuality quality;
    /** Where answers are judged (embedding is CPU work), off the request threads. */
    private final Scheduler scheduler = Schedulers.newSingle("eval-runner", true);
    /** Runs waiting, executed one after another. */
    private final Sinks.Many<String> queue = Sinks.many().unicast().onBackpressureBuffer();

    EvalRunner(R2dbcEntityTemplate database, Retriever retriever, RagRequestChecker checker, ChatService chat,
            Embedder embedder, JsonMapper json) {
        this.database = database;
        this.retriever = retriever;
        this.checker = checker;
        this.chat = chat;
        this.json = json;
        this.quality = new AnswerQuality(embedder);
        queue.asFlux().concatMap(this::execute).subscribe();
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeInterrupted() {
        database.select(Query.query(Criteria.where("status").in(EvalRun.RUNNING, EvalRun.QUEUED)), EvalRun.class)
                .doOnNext(run -> log.info("Resuming evaluation run {} ({}) at item {} of {}", run.id(), run.name(),
                        run.done(), run.total()))
                .subscribe(run -> start(run.id()));
    }

    /** Queues {@code runId}; it runs after the runs queued before it. Its progress is in the run's row. */
    void start(String runId) {
        queue.emitNext(runId, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    private Mono<EvalRun> execute(String runId) {
        return database.selectOne(Query.query(Criteria.where("id").is(runId)), EvalRun.class)
                .flatMap(this::execute)
                .onErrorResume(e -> {
                    log.error("Evaluation run {} failed: {}", runId, e.toString(), e);
                    return Mono.empty();
                });
    }

    private Mono<EvalRun> execute(EvalRun run) {
        RunConfig config;
        try {
            config = json.readValue(run.config(), RunConfig.class);
        } catch (RuntimeException e) {
            return database.update(run.ended(EvalRun.FAILED, "its configuration cannot be read: " + e.getMessage()));
        }
        Mono<EvalDataset> dataset = database.selectOne(Query.query(Criteria.where("id").is(run.datasetId())),
                EvalDataset.class);
        // Items that ended in an error are evaluated again: a resumed run retries them.
        Mono<List<Integer>> finished = database.select(Query.query(Criteria.where("run_id").is(run.id())),
                EvalResult.class).filter(result -> result.error() == null).map(EvalResult::seq).collectList();
        // The items are read first, so no cursor (and its connection) stays open through a run that takes hours.
        Mono<List<EvalItem>> items = database.select(Query.query(Criteria.where("dataset_id").is(run.datasetId()))
                .sort(Sort.by("seq")), EvalItem.class).collectList();
        return Mono.zip(dataset, finished, items).flatMap(both -> Flux.fromIterable(both.getT3())
                        .filter(item -> !both.getT2().contains(item.seq()))
                        .concatMap(item -> evaluate(run, config, both.getT1().tenant(), item)
                                .flatMap(result -> database.delete(Query.query(Criteria.where("id")
                                        .is(result.id())), EvalResult.class).then(database.insert(result)))
                                .then(Mono.defer(() -> countDone(run.id())))
                                .flatMap(done -> database.update(run.progressed(done))))
                        .then(countDone(run.id()))
                        .flatMap(done -> database.update(run.progressed(done).ended(EvalRun.FINISHED, null))))
                // A failure here is the service's (its database going away at shutdown, say), not the items': the run
                // stays running, so the next start resumes it.
                .onErrorResume(e -> {
                    log.warn("Evaluation run {} stopped at an error and resumes at the next start: {}", run.id(),
                            e.toString());
                    return Mono.empty();
                });
    }

    private Mono<Integer> countDone(String runId) {
        return database.count(Query.query(Criteria.where("run_id").is(runId)), EvalResult.class)
                .map(Math::toIntExact);
    }

    private Mono<EvalResult> evaluate(EvalRun run, RunConfig config, String tenant, EvalItem item) {
        if (item.messages() != null) {
            return evaluateChat(run, config, tenant, item);
        }
        List<String> answers = json.readValue(item.answers(), STRINGS);
        Map<String, Integer> relevant = json.readValue(item.relevant(), GRADES);
        long started = System.nanoTime();
        Mono<List<String>> ranking = retriever.search(new SearchQuery(tenant, item.question(), config.searchMode(),
                        Filter.NONE, config.k(), Double.NEGATIVE_INFINITY, config.hybridWeight() == null
                        ? HybridFusion.DEFAULT : HybridFusion.weighted(config.hybridWeight())))
                .map(EvalRunner::documents);
        boolean generate = config.generate() != null ? config.generate() : !answers.isEmpty();
        return ranking.flatMap(documents -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (!relevant.isEmpty()) {
                metrics.putAll(RetrievalMetrics.of(documents, relevant, config.k()));
            }
            if (!generate) {
                return Mono.just(result(run, item, documents, null, metrics, started, null, null, null));
            }
            return answer(config, tenant, item).publishOn(scheduler).map(answer -> {
                if (!answers.isEmpty()) {
                    AnswerMetrics.Scores scores = AnswerMetrics.of(answer.text(), answers);
                    metrics.put("exact_match", scores.exactMatch());
                    metrics.put("f1", scores.f1());
                }
                Double grounded = Groundedness.share(answer.text(), answer.sources());
                if (grounded != null) {
                    metrics.put("groundedness", grounded);
                    metrics.put("answer_relevance", quality.relevance(item.question(), answer.text()));
                }
                return result(run, item, documents, answer.text(), metrics, started, answer.promptTokens(),
                        answer.completionTokens(), null);
            });
        })
                .transform(result -> settled(result, run, item, started));
    }

    /**
     * A chat item: the conversation answered as it is, through the same entry point without retrieval (no sources,
     * no RAG template: the conversation carries its own context), scored against its reference answers.
     */
    private Mono<EvalResult> evaluateChat(EvalRun run, RunConfig config, String tenant, EvalItem item) {
        List<String> answers = json.readValue(item.answers(), STRINGS);
        long started = System.nanoTime();
        var request = new RagRequest(tenant, config.model(), null, json.readValue(item.messages(), TURNS),
                new RagRequest.Retrieval(false, null, null, null, null), null, GREEDY, config.maxTokens());
        return answer(request).publishOn(scheduler).map(answer -> {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (!answers.isEmpty()) {
                AnswerMetrics.Scores scores = AnswerMetrics.of(answer.text(), answers);
                metrics.put("exact_match", scores.exactMatch());
                metrics.put("f1", scores.f1());
            }
            return result(run, item, List.of(), answer.text(), metrics, started, answer.promptTokens(),
                    answer.completionTokens(), null);
        }).transform(result -> settled(result, run, item, started));
    }

    private Mono<EvalResult> settled(Mono<EvalResult> result, EvalRun run, EvalItem item, long started) {
        return result
                // A model that is loading or busy is waited for, not held against the item.
                .retryWhen(Retry.fixedDelay(MODEL_WAIT_ATTEMPTS, MODEL_WAIT).filter(e ->
                        e instanceof InferenceFailure.ModelNotReady || e instanceof InferenceFailure.Overloaded))
                // The item's own failures are its result; anything else (the service stopping, a database error)
                // stops the run, which resumes at the next start.
                .onErrorResume(EvalRunner::itemsFault, e -> Mono.just(result(run, item, List.of(), null, Map.of(),
                        started, null, null, String.valueOf(e.getMessage()))));
    }

    private static boolean itemsFault(Throwable e) {
        return e instanceof InferenceFailure.Rejected || e instanceof InferenceFailure.GenerationFailed
                || e instanceof InferenceFailure.TimedOut || e instanceof InferenceFailure.ModelNotFound;
    }

    private record Answer(String text, List<String> sources, Integer promptTokens, Integer completionTokens) {
    }

    /** Greedy decoding: a run's answers are the model's, not a draw's. */
    private static final SamplingOptions GREEDY = new SamplingOptions(0.0, null, null, null, null, null, null, null,
            null, null, null, null, null, false);

    /** The answer through the RAG entry point, exactly as {@code POST /api/chat} would give it. */
    private Mono<Answer> answer(RunConfig config, String tenant, EvalItem item) {
        return answer(new RagRequest(tenant, config.model(), null,
                List.of(new RagRequest.Turn("user", item.question())),
                new RagRequest.Retrieval(true, config.k(), null, config.chatHybridWeight(), null),
                config.template() == null ? null : new RagRequest.Template(config.template(),
                        config.templateVersion()),
                GREEDY, config.maxTokens()));
    }

    private Mono<Answer> answer(RagRequest request) {
        return Mono.defer(() -> chat.prepare(checker.check(request)))
                .flatMapMany(chat::answer)
                .collectList()
                .map(events -> {
                    var text = new StringBuilder();
                    List<String> sources = new ArrayList<>();
                    Integer promptTokens = null;
                    Integer completionTokens = null;
                    for (ChatEvent event : events) {
                        switch (event) {
                            case ChatEvent.Token token -> text.append(token.text());
                            case ChatEvent.Done done -> {
                                promptTokens = done.usage().promptTokens();
                                completionTokens = done.usage().completionTokens();
                            }
                            case ChatEvent.Citations cited -> cited.citations().forEach(c -> sources.add(c.text()));
                        }
                    }
                    return new Answer(text.toString().strip(), sources, promptTokens, completionTokens);
                });
    }

    private EvalResult result(EvalRun run, EvalItem item, List<String> documents, String answer,
            Map<String, Double> metrics, long started, Integer promptTokens, Integer completionTokens,
            String error) {
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        metrics.forEach((metric, value) -> events.atInfo()
                .addKeyValue("gen_ai.evaluation.name", metric)
                .addKeyValue("gen_ai.evaluation.score.value", value)
                .addKeyValue("hanul.evaluation.run", run.id())
                .addKeyValue("hanul.evaluation.item", item.itemId())
                .log("gen_ai.evaluation.result"));
        return new EvalResult(run.id() + ":" + item.seq(), run.id(), item.seq(), item.itemId(),
                json.writeValueAsString(documents), answer, json.writeValueAsString(metrics), latencyMs,
                promptTokens, completionTokens, error);
    }

    /** Document ids in the order of their best chunk: the retrieval metrics judge documents, as BEIR does. */
    private static List<String> documents(List<SearchHit> hits) {
        var documents = new LinkedHashSet<String>();
        hits.forEach(hit -> documents.add(hit.documentId()));
        return new ArrayList<>(documents);
    }

    /** A new run's row, queued. */
    static EvalRun queued(String datasetId, String name, String config, int total, String author) {
        return new EvalRun(UUID.randomUUID().toString(), datasetId, name, config, EvalRun.QUEUED, total, 0, null,
                author, Instant.now(), null);
    }
}
