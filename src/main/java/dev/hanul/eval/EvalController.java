package dev.hanul.eval;

import dev.hanul.api.Caller;
import dev.hanul.api.Tenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/eval}: datasets (JSONL or BEIR), runs of a dataset under a configuration (in the background, with
 * progress; results per item as JSON or CSV), and comparisons of runs with significance tests.
 */
@RestController
@RequestMapping("/api/eval")
class EvalController {

    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };

    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private final EvalRunner runner;
    private final JsonMapper json;
    private final DatasetParser parser;

    EvalController(R2dbcEntityTemplate database, TransactionalOperator transaction, EvalRunner runner,
            JsonMapper json) {
        this.database = database;
        this.transaction = transaction;
        this.runner = runner;
        this.json = json;
        this.parser = new DatasetParser(json);
    }

    /**
     * A dataset: {@code jsonl} (one question a line), or BEIR's {@code queries} (JSONL) and {@code qrels} (TSV). The
     * corpus is what {@code tenant} has indexed (ingest BEIR's corpus with its ids as document ids).
     */
    record NewDataset(String name, String tenant, String jsonl, String queries, String qrels) {
    }

    @PostMapping("/datasets")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<EvalDataset> createDataset(@RequestBody NewDataset body, ServerWebExchange exchange) {
        if (body.name() == null || body.name().isBlank()) {
            throw badRequest("name is missing: name the dataset.");
        }
        String tenant = Tenants.resolve(body.tenant(), null);
        List<DatasetParser.Item> items;
        String format;
        try {
            if (body.jsonl() != null) {
                items = parser.jsonl(body.jsonl());
                format = "jsonl";
            } else if (body.queries() != null && body.qrels() != null) {
                items = parser.beir(body.queries(), body.qrels());
                format = "beir";
            } else {
                throw badRequest("Send the questions as jsonl, or BEIR's queries and qrels.");
            }
        } catch (DatasetParser.InvalidDataset e) {
            throw badRequest(e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        return Caller.name(exchange).flatMap(author -> database.insert(new EvalDataset(id, body.name(), tenant, format,
                        items.size(), author, Instant.now())))
                .flatMap(dataset -> Flux.range(0, items.size()).concatMap(i -> database.insert(new EvalItem(
                                id + ":" + i, id, i, items.get(i).id(), items.get(i).question(),
                                json.writeValueAsString(items.get(i).answers()),
                                json.writeValueAsString(items.get(i).relevant()), null)))
                        .then(Mono.just(dataset)))
                .as(transaction::transactional);
    }

    @GetMapping("/datasets")
    Flux<EvalDataset> datasets() {
        return database.select(Query.empty().sort(Sort.by("created_at")), EvalDataset.class);
    }

    /** A run of {@code dataset} under {@code config}, started at once in the background. */
    record NewRun(String dataset, String name, RunConfig config) {
    }

    @PostMapping("/runs")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<EvalRun> createRun(@RequestBody NewRun body, ServerWebExchange exchange) {
        RunConfig config = body.config() != null ? body.config()
                : new RunConfig(null, null, null, null, null, null, null, null);
        if (config.topK() != null && (config.topK() < 1 || config.topK() > 100)) {
            throw badRequest("config.topK must be between 1 and 100, got " + config.topK() + ".");
        }
        if (config.hybridWeight() != null && !(config.hybridWeight() >= 0 && config.hybridWeight() <= 1)) {
            throw badRequest("config.hybridWeight must be between 0 and 1, got " + config.hybridWeight() + ".");
        }
        return dataset(body.dataset())
                .flatMap(dataset -> Caller.name(exchange).flatMap(author -> database.insert(EvalRunner.queued(
                        dataset.id(), body.name() != null ? body.name() : dataset.name() + " " + Instant.now(),
                        json.writeValueAsString(config), dataset.itemCount(), author))))
                .doOnNext(run -> runner.start(run.id()));
    }

    @GetMapping("/runs")
    Flux<EvalRun> runs() {
        return database.select(Query.empty().sort(Sort.by("created_at")), EvalRun.class);
    }

    /** A run with its progress and, per metric, the mean over the items scored so far. */
    record RunView(EvalRun run, Map<String, Double> means) {
    }

    @GetMapping("/runs/{id}")
    Mono<RunView> run(@PathVariable String id) {
        return runRow(id).flatMap(run -> scores(id).map(scores -> new RunView(run, means(scores))));
    }

    /** Runs a run again from where it stopped: the items it has no result for, or only a failed one. */
    @PostMapping("/runs/{id}/resume")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<EvalRun> resume(@PathVariable String id) {
        return runRow(id).flatMap(run -> {
            if (run.status().equals(EvalRun.RUNNING) || run.status().equals(EvalRun.QUEUED)) {
                return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT, "Run '" + id + "' is "
                        + run.status() + " already; GET /api/eval/runs/" + id + " shows its progress."));
            }
            return database.update(run.progressed(run.done()));
        }).doOnNext(run -> runner.start(run.id()));
    }

    /** Per-item results: JSON, or {@code format=csv} with one column per metric. */
    @GetMapping("/runs/{id}/results")
    Mono<ResponseEntity<?>> results(@PathVariable String id, @RequestParam(defaultValue = "json") String format) {
        return runRow(id).flatMap(run -> database.select(Query.query(Criteria.where("run_id").is(id))
                .sort(Sort.by("seq")), EvalResult.class).collectList()).map(results -> switch (format) {
                    case "json" -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(results);
                    case "csv" -> ResponseEntity.ok().contentType(new MediaType("text", "csv")).body(csv(results));
                    default -> throw badRequest("format must be json or csv, got '" + format + "'.");
                });
    }

    @GetMapping("/compare")
    Mono<RunComparison> compare(@RequestParam List<String> runs) {
        if (runs.size() < 2) {
            throw badRequest("runs needs two or more run ids, the first being the baseline: ?runs=a,b");
        }
        return Flux.fromIterable(runs).concatMap(id -> runRow(id).then(scores(id))).collectList()
                .map(scores -> RunComparison.of(runs, scores));
    }

    private Mono<Map<String, Map<String, Double>>> scores(String runId) {
        return database.select(Query.query(Criteria.where("run_id").is(runId)), EvalResult.class)
                .filter(result -> result.error() == null)
                .collectMap(EvalResult::itemId, result -> json.readValue(result.metrics(), METRICS));
    }

    private static Map<String, Double> means(Map<String, Map<String, Double>> scores) {
        Map<String, List<Double>> byMetric = new LinkedHashMap<>();
        scores.values().forEach(item -> item.forEach((metric, value) -> byMetric.computeIfAbsent(metric,
                m -> new ArrayList<>()).add(value)));
        Map<String, Double> means = new LinkedHashMap<>();
        byMetric.forEach((metric, values) -> means.put(metric, values.stream().mapToDouble(Double::doubleValue)
                .average().orElse(Double.NaN)));
        return means;
    }

    private String csv(List<EvalResult> results) {
        var metricNames = new TreeSet<String>();
        List<Map<String, Double>> metrics = results.stream().map(r -> json.readValue(r.metrics(), METRICS)).toList();
        metrics.forEach(m -> metricNames.addAll(m.keySet()));
        var csv = new StringBuilder("item_id,latency_ms,prompt_tokens,completion_tokens,error");
        metricNames.forEach(name -> csv.append(',').append(name));
        csv.append(",answer\n");
        for (int i = 0; i < results.size(); i++) {
            EvalResult r = results.get(i);
            csv.append(quote(r.itemId())).append(',').append(r.latencyMs()).append(',')
                    .append(r.promptTokens() == null ? "" : r.promptTokens()).append(',')
                    .append(r.completionTokens() == null ? "" : r.completionTokens()).append(',')
                    .append(r.error() == null ? "" : quote(r.error()));
            Map<String, Double> m = metrics.get(i);
            metricNames.forEach(name -> csv.append(',').append(m.containsKey(name) ? m.get(name) : ""));
            csv.append(',').append(r.answer() == null ? "" : quote(r.answer())).append('\n');
        }
        return csv.toString();
    }

    /** RFC 4180: in quotes, quotes doubled. */
    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private Mono<EvalDataset> dataset(String id) {
        if (id == null) {
            throw badRequest("dataset is missing: send the id POST /api/eval/datasets returned.");
        }
        return database.selectOne(Query.query(Criteria.where("id").is(id)), EvalDataset.class)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No dataset has id '"
                        + id + "'; GET /api/eval/datasets lists them.")));
    }

    private Mono<EvalRun> runRow(String id) {
        return database.selectOne(Query.query(Criteria.where("id").is(id)), EvalRun.class)
                .switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No run has id '"
                        + id + "'; GET /api/eval/runs lists them.")));
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
