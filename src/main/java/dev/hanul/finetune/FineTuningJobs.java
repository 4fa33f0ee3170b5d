package dev.hanul.finetune;

import dev.hanul.engine.LoadedModel;
import dev.hanul.eval.Evaluations;
import dev.hanul.inference.Inference;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.RoutedModel;
import dev.hanul.openai.OpenAiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fine-tuning jobs as OpenAI's API has them. Creating one validates its files against the base model at once (every
 * example through the model's chat template: lengths against its window), so a job that cannot run is refused with
 * the lines at fault and never created; an accepted job is queued with its cost estimate, and the worker
 * ({@link FineTuningWorker}) runs the jobs one at a time.
 */
@Service
class FineTuningJobs {

    private static final Pattern SUFFIX = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final FineTuningStore store;
    private final TrainingFiles files;
    private final Inference inference;
    private final FineTuneProperties properties;
    private final FineTuningWorker worker;
    private final Evaluations evaluations;

    FineTuningJobs(FineTuningStore store, TrainingFiles files, Inference inference, FineTuneProperties properties,
                   FineTuningWorker worker, Evaluations evaluations) {
        this.evaluations = evaluations;
        this.store = store;
        this.files = files;
        this.inference = inference;
        this.properties = properties;
        this.worker = worker;
    }

    /**
     * What a job trains on, tokenized with its base model; shared by validation and the run.
     *
     * @param heldOutSource the parsed lines of the file the validation examples come from
     */
    record Prepared(String baseVersion, LoadedModel base, DataSplit<TokenizedExample> split,
                    List<ChatExample> heldOutSource) {

        /** The validation examples that the job evaluates on (as many as it scores the validation loss on). */
        List<Evaluations.ChatItem> heldOutItems(int limit) {
            return HeldOutItems.of(split.validation(), heldOutSource, limit);
        }
    }

    Mono<FineTuningJob> create(String tenant, JobRequest request, String actor) {
        if (request.model() == null || request.model().isBlank()) {
            return Mono.error(OpenAiException.invalid("model", "'model' is required: the base model to fine-tune "
                    + "(GET /v1/models lists them)."));
        }
        if (request.trainingFile() == null || request.trainingFile().isBlank()) {
            return Mono.error(OpenAiException.invalid("training_file", "'training_file' is required: the id of a "
                    + "file uploaded with purpose fine-tune (POST /v1/files)."));
        }
        JobSettings settings;
        try {
            settings = settings(request);
        } catch (OpenAiException e) {
            return Mono.error(e);
        }
        if (request.suffix() != null && !SUFFIX.matcher(request.suffix()).matches()) {
            return Mono.error(OpenAiException.invalid("suffix", "'suffix' must be 1 to 40 lower-case letters, digits "
                    + "and '-', starting with a letter or digit; got '" + request.suffix() + "'."));
        }
        JobEvaluation evaluation;
        try {
            evaluation = evaluation(request.evaluation());
        } catch (OpenAiException e) {
            return Mono.error(e);
        }
        long seed = request.seed() != null ? request.seed() : Math.abs(new java.util.Random().nextLong() % 1_000_000);
        Mono<TrainingFile> training = file(tenant, request.trainingFile(), "training_file");
        Mono<List<TrainingFile>> validation = request.validationFile() == null || request.validationFile().isBlank()
                ? Mono.just(List.of())
                : file(tenant, request.validationFile(), "validation_file").map(List::of);
        return Mono.zip(training, validation, Mono.fromCallable(this::tokensPerSecond).subscribeOn(
                        Schedulers.boundedElastic()))
                .flatMap(found -> Mono.fromCallable(() -> {
                    TrainingFile trainFile = found.getT1();
                    TrainingFile validFile = found.getT2().isEmpty() ? null : found.getT2().getFirst();
                    Prepared prepared = prepare(request.model(), trainFile, validFile, seed);
                    var plan = new BatchPlan(prepared.split().train().size(), settings.batchSize(), settings.epochs(),
                            seed);
                    CostEstimate estimate = estimate(prepared.split(), plan, found.getT3());
                    checkEvaluation(evaluation, prepared);
                    Instant now = Instant.now();
                    return new FineTuningJob(Ids.next("ftjob"), tenant, prepared.baseVersion(), trainFile.id(),
                            validFile == null ? null : validFile.id(), request.suffix(),
                            JSON.writeValueAsString(settings), seed, FineTuningJob.VALIDATING, plan.totalSteps(), 0,
                            0, null, null, null, JSON.writeValueAsString(estimate), null, actor, now, null, null,
                            evaluation == null ? null : JSON.writeValueAsString(evaluation));
                }).subscribeOn(Schedulers.boundedElastic()))
                .flatMap(store::insert)
                .flatMap(job -> store.event(job.id(), "info", "Validating training file: " + job.trainingFile()
                                + (job.validationFile() == null ? "" : " and validation file: " + job.validationFile()),
                                "message", null)
                        .then(store.event(job.id(), "info", "Estimate: " + describe(estimate(job)), "message",
                                JSON.writeValueAsString(estimate(job))))
                        .then(store.transition(job.id(), List.of(FineTuningJob.VALIDATING), FineTuningJob.QUEUED,
                                Instant.now()))
                        .then(store.event(job.id(), "info", "Files validated, moving job to queued state", "message",
                                null))
                        .then(store.job(job.id())))
                .doOnNext(job -> worker.wake());
    }

    /**
     * The job's examples through its base model: the model must be loaded here (its tokenizer and chat template
     * count the tokens, its weights train), and every example must fit its window.
     *
     * @throws DatasetRefused listing the examples that do not fit
     */
    Prepared prepare(String model, TrainingFile trainFile, TrainingFile validFile, long seed) {
        RoutedModel routed;
        LoadedModel loaded;
        try {
            routed = inference.route(model, null);
            if (inference.parentOf(model).isPresent()) {
                throw OpenAiException.invalid("model", "'" + model + "' is a LoRA adapter; fine-tune its base model "
                        + inference.parentOf(model).get() + " instead.");
            }
            loaded = routed.model();
        } catch (InferenceFailure.ModelNotFound e) {
            throw new OpenAiException(HttpStatus.NOT_FOUND, "The model '" + model + "' does not exist; GET /v1/models "
                    + "lists the models this service can fine-tune.", "invalid_request_error", "model",
                    "model_not_found");
        } catch (InferenceFailure e) {
            throw new OpenAiException(HttpStatus.CONFLICT, "The model '" + model + "' cannot be fine-tuned now: "
                    + e.getMessage(), "invalid_request_error", "model", null);
        } catch (IllegalStateException e) {
            throw OpenAiException.invalid("model", "'" + model + "' runs on a remote server; only models whose "
                    + "weights are on this service can be fine-tuned.");
        }
        var tokens = new ChatTokens(loaded.chatTemplate(), loaded.tokenizer(),
                loaded.model().config().contextLength());
        List<ChatExample> trainExamples = files.examples(trainFile);
        List<ChatExample> validExamples = validFile == null ? null : files.examples(validFile);
        ChatTokens.Result train = tokens.tokenize(trainExamples);
        if (!train.problems().isEmpty()) {
            throw new DatasetRefused("The training file " + trainFile.id(), "training_file", train.problems());
        }
        List<TokenizedExample> validation = null;
        if (validFile != null) {
            ChatTokens.Result valid = tokens.tokenize(validExamples);
            if (!valid.problems().isEmpty()) {
                throw new DatasetRefused("The validation file " + validFile.id(), "validation_file",
                        valid.problems());
            }
            validation = valid.examples();
        }
        DataSplit<TokenizedExample> split = DataSplit.of(train.examples(), validation,
                properties.validationFraction(), seed);
        if (split.train().isEmpty()) {
            throw OpenAiException.invalid("training_file", "The training file leaves no examples to train on after "
                    + "the validation split; add examples or give a validation_file.");
        }
        return new Prepared(routed.version(), loaded, split, validFile == null ? trainExamples : validExamples);
    }

    /** The evaluation a request asks for, its fields checked; null for none. */
    private static JobEvaluation evaluation(JobRequest.Evaluation requested) {
        if (requested == null) {
            return null;
        }
        if (requested.dataset() == null || requested.dataset().isBlank()) {
            throw OpenAiException.invalid("evaluation.dataset", "'evaluation.dataset' is required: \"validation\" "
                    + "to evaluate on the job's held-out examples, or the id of an evaluation dataset (POST "
                    + "/api/eval/datasets).");
        }
        int maxTokens = requested.maxTokens() == null ? JobEvaluation.DEFAULT_MAX_TOKENS : requested.maxTokens();
        if (maxTokens < 1 || maxTokens > 4096) {
            throw OpenAiException.invalid("evaluation.max_tokens", "'evaluation.max_tokens' must be between 1 and "
                    + "4096, got " + maxTokens + ".");
        }
        return JobEvaluation.requested(requested.dataset().strip(), maxTokens);
    }

    /** Refuses an evaluation that has nothing to evaluate on. Blocking: call it off the event loop. */
    private void checkEvaluation(JobEvaluation evaluation, Prepared prepared) {
        if (evaluation == null) {
            return;
        }
        if (evaluation.onValidation()) {
            if (prepared.heldOutItems(properties.maxValidationExamples()).isEmpty()) {
                throw OpenAiException.invalid("evaluation.dataset", "The job holds out no example to evaluate on "
                        + "(%d validation examples, none ending with an assistant answer to a user's turn); give a "
                        .formatted(prepared.split().validation().size()) + "validation_file, or ten or more training "
                        + "examples so that a share is held out (hanul.finetune.validation-fraction).");
            }
        } else if (evaluations.itemCount(evaluation.dataset()).blockOptional(Duration.ofSeconds(30)).isEmpty()) {
            throw OpenAiException.invalid("evaluation.dataset", "No evaluation dataset '" + evaluation.dataset()
                    + "'; give \"validation\" for the job's held-out examples, or the id of a dataset that GET "
                    + "/api/eval/datasets lists.");
        }
    }

    private CostEstimate estimate(DataSplit<TokenizedExample> split, BatchPlan plan, double[] throughput) {
        long trainTokens = split.train().stream().mapToLong(example -> example.tokens().length).sum();
        long learned = split.train().stream().mapToLong(TokenizedExample::learnedTokens).sum();
        long validTokens = split.validation().stream().mapToLong(example -> example.tokens().length).sum();
        long billable = trainTokens * plan.epochs();
        double tokensPerSecond = throughput[0];
        return new CostEstimate(split.train().size(), split.validation().size(), trainTokens, learned, validTokens,
                plan.epochs(), plan.totalSteps(), billable, tokensPerSecond, throughput[1] > 0,
                Math.round(billable / tokensPerSecond / 60 * 100) / 100.0);
    }

    /** Tokens per second of the last job that succeeded here, or the configured guess; [rate, measured ? 1 : 0]. */
    private double[] tokensPerSecond() {
        FineTuningJob last = store.lastSucceeded().blockOptional(Duration.ofSeconds(30)).orElse(null);
        if (last != null && last.startedAt() != null && last.finishedAt() != null && last.trainedTokens() > 0) {
            double seconds = Duration.between(last.startedAt(), last.finishedAt()).toMillis() / 1000.0;
            if (seconds > 0) {
                return new double[] {last.trainedTokens() / seconds, 1};
            }
        }
        return new double[] {properties.estimatedTokensPerSecond(), 0};
    }

    static CostEstimate estimate(FineTuningJob job) {
        return job.estimate() == null ? null : JSON.readValue(job.estimate(), CostEstimate.class);
    }

    static JobEvaluation evaluation(FineTuningJob job) {
        return job.evaluation() == null ? null : JSON.readValue(job.evaluation(), JobEvaluation.class);
    }

    static JobSettings settings(FineTuningJob job) {
        return JSON.readValue(job.hyperparameters(), JobSettings.class);
    }

    private static String describe(CostEstimate estimate) {
        return "%d training examples (%d tokens with the model's chat template, %d of them learned), %d validation "
                .formatted(estimate.trainExamples(), estimate.trainTokensPerEpoch(), estimate.learnedTokens(),
                        estimate.validationExamples())
                + "examples; %d epochs, %d steps, %d tokens to train; about %.1f minutes at %.0f tokens/s (%s)"
                .formatted(estimate.epochs(), estimate.totalSteps(), estimate.billableTokens(),
                        estimate.estimatedMinutes(), estimate.tokensPerSecond(),
                        estimate.measured() ? "measured by the last job here" : "hanul.finetune.estimated-tokens-"
                                + "per-second, no job measured yet");
    }

    private JobSettings settings(JobRequest request) {
        JobRequest.Hyperparameters hp = request.effectiveHyperparameters();
        int epochs = positiveInt(hp == null ? null : hp.epochs(), "hyperparameters.n_epochs",
                properties.defaultEpochs(), 1, 100);
        int batchSize = positiveInt(hp == null ? null : hp.batchSize(), "hyperparameters.batch_size",
                properties.defaultBatchSize(), 1, 256);
        double multiplier = positiveDouble(hp == null ? null : hp.learningRateMultiplier(),
                "hyperparameters.learning_rate_multiplier", 1.0);
        JobRequest.Lora lora = request.lora() == null ? new JobRequest.Lora(null, null, null, null) : request.lora();
        int rank = lora.rank() == null ? 8 : lora.rank();
        if (rank < 1 || rank > 256) {
            throw OpenAiException.invalid("lora.rank", "'lora.rank' must be between 1 and 256, got " + rank + ".");
        }
        double alpha = lora.alpha() == null ? 2.0 * rank : lora.alpha();
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw OpenAiException.invalid("lora.alpha", "'lora.alpha' must be a positive number, got " + alpha + ".");
        }
        double dropout = lora.dropout() == null ? 0.05 : lora.dropout();
        if (!(dropout >= 0 && dropout < 1)) {
            throw OpenAiException.invalid("lora.dropout", "'lora.dropout' must be in [0, 1), got " + dropout + ".");
        }
        List<String> modules;
        try {
            modules = lora.targetModules() == null || lora.targetModules().isEmpty() ? JobSettings.ALL_MODULES
                    : JobSettings.moduleNames(lora.targetModules());
        } catch (IllegalArgumentException e) {
            throw OpenAiException.invalid("lora.target_modules", "'lora.target_modules' has an " + e.getMessage()
                    + ".");
        }
        return new JobSettings(epochs, batchSize, multiplier, properties.baseLearningRate() * multiplier, rank, alpha,
                dropout, modules, 0.1);
    }

    private static int positiveInt(Object value, String param, int auto, int min, int max) {
        if (value == null || "auto".equals(value)) {
            return auto;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && number.intValue() >= min && number.intValue() <= max) {
            return number.intValue();
        }
        throw OpenAiException.invalid(param, "'" + param + "' must be \"auto\" or a whole number from " + min
                + " to " + max + ", got " + value + ".");
    }

    private static double positiveDouble(Object value, String param, double auto) {
        if (value == null || "auto".equals(value)) {
            return auto;
        }
        if (value instanceof Number number && number.doubleValue() > 0 && number.doubleValue() <= 100) {
            return number.doubleValue();
        }
        throw OpenAiException.invalid(param, "'" + param + "' must be \"auto\" or a number in (0, 100], got " + value
                + ".");
    }

    private Mono<TrainingFile> file(String tenant, String id, String param) {
        return store.file(tenant, id).switchIfEmpty(Mono.error(OpenAiException.invalid(param, "No file with id '" + id
                + "' in this tenant; upload one with POST /v1/files (purpose fine-tune).")));
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    Mono<FineTuningJob> job(String tenant, String id) {
        return store.job(tenant, id).switchIfEmpty(Mono.error(new OpenAiException(HttpStatus.NOT_FOUND,
                "No fine-tuning job with id '" + id + "' in this tenant; GET /v1/fine_tuning/jobs lists them.",
                "invalid_request_error", "fine_tuning_job_id", null)));
    }

    /** A page of jobs after the job {@code after}, newest first; one more is read to tell whether more follow. */
    Mono<List<FineTuningJob>> page(String tenant, String after, int limit) {
        Mono<Instant> before = after == null || after.isBlank() ? Mono.just(Instant.MAX)
                : job(tenant, after).map(FineTuningJob::createdAt);
        return before.flatMapMany(instant -> store.jobs(tenant, instant.equals(Instant.MAX) ? null : instant,
                limit + 1)).collectList();
    }

    Mono<List<FineTuningEvent>> events(String tenant, String id, String after, int limit) {
        return job(tenant, id).flatMap(job -> {
            Mono<Long> before = after == null || after.isBlank() ? Mono.just(Long.MAX_VALUE)
                    : store.eventById(id, after).map(FineTuningEvent::seq).switchIfEmpty(Mono.error(
                            OpenAiException.invalid("after", "No event '" + after + "' in job " + id + ".")));
            return before.flatMapMany(seq -> store.events(id, seq == Long.MAX_VALUE ? null : seq, limit + 1))
                    .collectList();
        });
    }

    Flux<FineTuningCheckpoint> checkpoints(String tenant, String id) {
        return job(tenant, id).flatMapMany(job -> store.checkpoints(id));
    }

    Mono<FineTuningJob> cancel(String tenant, String id) {
        return job(tenant, id).flatMap(job -> {
            if (job.finished()) {
                return Mono.error(new OpenAiException(HttpStatus.CONFLICT, "The job " + id + " has already "
                        + job.status() + "; only jobs that are validating, queued or running can be cancelled.",
                        "invalid_request_error", null, null));
            }
            worker.cancel(id);
            return store.transition(id, List.of(FineTuningJob.VALIDATING, FineTuningJob.QUEUED,
                            FineTuningJob.RUNNING), FineTuningJob.CANCELLED, Instant.now())
                    .flatMap(changed -> changed > 0
                            ? store.event(id, "info", "Job cancelled", "message", null).then()
                            : Mono.empty())
                    .then(store.job(id));
        });
    }

    // ---- the wire -----------------------------------------------------------------------------------------------

    /**
     * When a running job should end: before its first step, from the estimate made when it was created; once steps
     * are done, from the pace so far (evaluations and validation passes included), which on a busy CPU can be several
     * times the estimate's guessed tokens/s.
     */
    static Instant estimatedFinish(FineTuningJob job, CostEstimate estimate, Instant now) {
        if (!job.status().equals(FineTuningJob.RUNNING) || job.startedAt() == null) {
            return null;
        }
        if (job.completedSteps() > 0 && now.isAfter(job.startedAt())) {
            long elapsed = Duration.between(job.startedAt(), now).toMillis();
            return job.startedAt().plusMillis(elapsed * job.totalSteps() / job.completedSteps());
        }
        return estimate == null ? null : job.startedAt().plusSeconds(Math.round(estimate.estimatedMinutes() * 60));
    }

    static JobObject object(FineTuningJob job) {
        JobSettings settings = settings(job);
        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("n_epochs", settings.epochs());
        hyperparameters.put("batch_size", settings.batchSize());
        hyperparameters.put("learning_rate_multiplier", settings.learningRateMultiplier());
        Map<String, Object> lora = new LinkedHashMap<>();
        lora.put("rank", settings.rank());
        lora.put("alpha", settings.alpha());
        lora.put("dropout", settings.dropout());
        lora.put("target_modules", settings.targetModules());
        lora.put("learning_rate", settings.learningRate());
        CostEstimate estimate = estimate(job);
        Instant finish = estimatedFinish(job, estimate, Instant.now());
        Long estimatedFinish = finish == null ? null : finish.getEpochSecond();
        List<String> resultFiles = new ArrayList<>();
        return new JobObject(job.id(), "fine_tuning.job", job.model(), job.createdAt().getEpochSecond(),
                job.finishedAt() == null ? null : job.finishedAt().getEpochSecond(), job.fineTunedModel(),
                job.tenant(), resultFiles, job.status(), job.validationFile(), job.trainingFile(), hyperparameters,
                job.status().equals(FineTuningJob.SUCCEEDED) ? job.trainedTokens() : null,
                job.error() == null ? null : new JobObject.Error("training_failed", job.error(), null),
                job.suffix(), job.seed(), estimatedFinish, List.of(),
                Map.of("type", "supervised", "supervised", Map.of("hyperparameters", hyperparameters)), lora,
                estimate, job.completedSteps(), job.totalSteps(), job.trainLoss(), job.validationLoss(),
                evaluation(job));
    }

    static EventObject object(FineTuningEvent event) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = event.data() == null ? null : JSON.readValue(event.data(), Map.class);
        return new EventObject(event.id(), "fine_tuning.job.event", event.createdAt().getEpochSecond(),
                event.level(), event.message(), event.type(), data);
    }

    static CheckpointObject object(FineTuningCheckpoint checkpoint) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("step", checkpoint.step());
        metrics.put("train_loss", checkpoint.trainLoss());
        if (checkpoint.validationLoss() != null) {
            metrics.put("valid_loss", checkpoint.validationLoss());
        }
        return new CheckpointObject(checkpoint.id(), "fine_tuning.job.checkpoint",
                checkpoint.createdAt().getEpochSecond(), checkpoint.jobId() + ":ckpt-step-" + checkpoint.step(),
                checkpoint.jobId(), metrics, checkpoint.step());
    }
}
