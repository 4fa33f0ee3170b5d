package dev.hanul.finetune;

import dev.hanul.engine.train.LoraHyperparameters;
import dev.hanul.engine.train.LoraTrainer;
import dev.hanul.engine.train.TrainingExample;
import dev.hanul.engine.train.TrainingStep;
import dev.hanul.eval.Evaluations;
import dev.hanul.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one job to its end on the calling thread: its examples through the base model's template, a trainer started
 * fresh or resumed from the job's last checkpoint, one optimizer step per planned batch ({@link BatchPlan}) with an
 * event per step, a checkpoint (and the validation loss) every {@code hanul.finetune.checkpoint-every} steps, then
 * the adapter written and served by the registry under the job's model name. Between steps it waits while serving
 * has requests running or waiting ({@code hanul.finetune.pause-while-serving}) until serving has been idle for
 * {@code hanul.finetune.idle-before-resume}, at most {@code hanul.finetune.max-pause} at a time; a step already under
 * way finishes first.
 */
@Component
class JobRun {

    private static final Logger log = LoggerFactory.getLogger(JobRun.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long PAUSE_POLL_MILLIS = 20;
    private static final long EVALUATION_POLL_MILLIS = 200;

    private final FineTuningStore store;
    private final FineTuningJobs jobs;
    private final FileContents contents;
    private final FineTuneProperties properties;
    private final ServingLoad load;
    private final FineTuneMetrics metrics;
    private final ModelRegistry registry;
    private final Evaluations evaluations;

    JobRun(FineTuningStore store, FineTuningJobs jobs, FileContents contents, FineTuneProperties properties,
           ServingLoad load, FineTuneMetrics metrics, ModelRegistry registry, Evaluations evaluations) {
        this.evaluations = evaluations;
        this.store = store;
        this.jobs = jobs;
        this.contents = contents;
        this.properties = properties;
        this.load = load;
        this.metrics = metrics;
        this.registry = registry;
    }

    /** Trains the job (status running) until it succeeds, fails, or {@code cancelled} says stop. */
    void run(FineTuningJob job, BooleanSupplier cancelled) {
        try {
            train(job, cancelled);
        } catch (RuntimeException | Error e) {
            log.error("Fine-tuning job {} failed", job.id(), e);
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            if (store.finish(job.id(), FineTuningJob.FAILED, null, message, Instant.now()).block(TIMEOUT) > 0) {
                event(job, "error", "The job failed: " + message, null);
            }
            metrics.ended(false);
        }
    }

    private void train(FineTuningJob job, BooleanSupplier cancelled) {
        JobSettings settings = FineTuningJobs.settings(job);
        TrainingFile trainFile = store.file(job.tenant(), job.trainingFile()).block(TIMEOUT);
        TrainingFile validFile = job.validationFile() == null ? null
                : store.file(job.tenant(), job.validationFile()).block(TIMEOUT);
        if (trainFile == null) {
            throw new IllegalStateException("its training file " + job.trainingFile() + " no longer exists");
        }
        FineTuningJobs.Prepared prepared = jobs.prepare(job.model(), trainFile, validFile, job.seed());
        List<TrainingExample> train = prepared.split().train().stream()
                .map(example -> new TrainingExample(example.tokens(), example.lossWeights())).toList();
        List<TrainingExample> validation = prepared.split().validation().stream()
                .limit(properties.maxValidationExamples())
                .map(example -> new TrainingExample(example.tokens(), example.lossWeights())).toList();
        var plan = new BatchPlan(train.size(), settings.batchSize(), settings.epochs(), job.seed());
        int sequenceLength = Math.max(2, java.util.stream.Stream.concat(train.stream(), validation.stream())
                .mapToInt(example -> example.tokens().length).max().orElse(2));
        var hp = new LoraHyperparameters(settings.rank(), (float) settings.alpha(), (float) settings.dropout(),
                settings.targets(), (float) settings.learningRate(),
                (int) Math.floor(plan.totalSteps() * settings.warmupRatio()), plan.totalSteps(), 0f, 1f, 1,
                sequenceLength, job.seed());
        Path directory = contents.jobDirectory(job.id());
        FineTuningCheckpoint last = store.checkpoints(job.id())
                .filter(checkpoint -> Files.isRegularFile(Path.of(checkpoint.path()))).next().block(TIMEOUT);
        long trainedTokens = last == null ? 0 : last.trainedTokens();
        JobEvaluation evaluation = evaluateBase(job, prepared, cancelled);
        if (cancelled.getAsBoolean()) {
            return;
        }
        try (LoraTrainer trainer = last == null ? LoraTrainer.start(prepared.base().model(), hp)
                : LoraTrainer.resume(prepared.base().model(), Path.of(last.path()))) {
            metrics.started(trainer.completedSteps(), plan.totalSteps());
            Double validationLoss = last == null ? null : last.validationLoss();
            if (last == null) {
                event(job, "info", "Fine-tuning job started: %d steps (%d epochs of %d batches of up to %d examples), "
                        .formatted(plan.totalSteps(), plan.epochs(), plan.stepsPerEpoch(), plan.batchSize())
                        + "LoRA rank %d, alpha %s on %s".formatted(settings.rank(), settings.alpha(),
                        settings.targetModules()), null);
                if (!validation.isEmpty()) {
                    validationLoss = (double) trainer.validationLoss(validation);
                    event(job, "info", "Validation loss before training: %.4f on %d examples"
                            .formatted(validationLoss, validation.size()), Map.of("step", 0, "valid_loss",
                            validationLoss));
                }
            } else {
                event(job, "info", "Resumed from the checkpoint at step " + last.step() + " after a restart", null);
            }
            long started = System.nanoTime();
            int firstStep = trainer.completedSteps() + 1;
            double pausedSeconds = 0;
            double trainLoss = last == null ? Double.NaN : last.trainLoss();
            for (int step = firstStep; step <= plan.totalSteps(); step++) {
                if (cancelled.getAsBoolean()) {
                    log.info("Fine-tuning job {} cancelled at step {}", job.id(), step - 1);
                    metrics.ended(false);
                    return;
                }
                pausedSeconds += waitForServing(cancelled);
                List<TrainingExample> batch = plan.batch(step).stream().map(train::get).toList();
                TrainingStep done = trainer.step(batch);
                trainedTokens += done.tokens();
                trainLoss = done.loss();
                metrics.step(step, trainLoss, done.tokens(), done.tokensPerSecond());
                double secondsPerStep = (System.nanoTime() - started) / 1e9 / (step - firstStep + 1);
                boolean checkpoint = step % properties.checkpointEvery() == 0 || step == plan.totalSteps();
                if (checkpoint && !validation.isEmpty()) {
                    validationLoss = (double) trainer.validationLoss(validation);
                    metrics.validation(validationLoss);
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("step", step);
                data.put("total_steps", plan.totalSteps());
                data.put("epoch", plan.epoch(step));
                data.put("train_loss", trainLoss);
                if (checkpoint && validationLoss != null) {
                    data.put("valid_loss", validationLoss);
                }
                data.put("learning_rate", done.learningRate());
                data.put("gradient_norm", done.gradientNorm());
                data.put("tokens", done.tokens());
                data.put("tokens_per_second", Math.round(done.tokensPerSecond() * 10) / 10.0);
                data.put("eta_seconds", Math.round(secondsPerStep * (plan.totalSteps() - step)));
                data.put("paused_seconds", Math.round(pausedSeconds * 100) / 100.0);
                event(job, "info", "Step %d/%d: training loss=%.4f%s, %.0f tokens/s, ETA %ds".formatted(step,
                        plan.totalSteps(), trainLoss, checkpoint && validationLoss != null
                                ? ", validation loss=%.4f".formatted(validationLoss) : "",
                        done.tokensPerSecond(), (long) data.get("eta_seconds")), data);
                if (checkpoint) {
                    saveCheckpoint(job, trainer, directory, step, trainLoss, validationLoss, trainedTokens);
                }
                store.progress(job.withProgress(step, trainedTokens, trainLoss, validationLoss)).block(TIMEOUT);
            }
            if (cancelled.getAsBoolean()) {
                metrics.ended(false);
                return;
            }
            publish(job, trainer, directory, settings, trainFile, trainLoss, validationLoss, evaluation, cancelled);
        }
    }

    /**
     * Seconds waited while serving had requests running or waiting, until it has had none for
     * {@code idle-before-resume}, or {@code max-pause} passed.
     */
    private double waitForServing(BooleanSupplier cancelled) {
        if (!properties.pauseWhileServing()) {
            return 0;
        }
        long start = System.nanoTime();
        long limit = properties.maxPause().toNanos();
        long idleNeeded = properties.idleBeforeResume().toNanos();
        if (load.requests() == 0) {
            return 0;
        }
        long idleSince = -1;
        while (System.nanoTime() - start < limit && !cancelled.getAsBoolean()) {
            long now = System.nanoTime();
            if (load.requests() > 0) {
                idleSince = -1;
            } else if (idleSince < 0) {
                idleSince = now;
            } else if (now - idleSince >= idleNeeded) {
                break;
            }
            try {
                Thread.sleep(PAUSE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for serving to go idle", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.paused(seconds);
        return seconds;
    }

    private void saveCheckpoint(FineTuningJob job, LoraTrainer trainer, Path directory, int step, double trainLoss,
                                Double validationLoss, long trainedTokens) {
        Path file = directory.resolve("step-%06d.ckpt".formatted(step));
        trainer.saveCheckpoint(file);
        store.insert(new FineTuningCheckpoint(Ids.next("ftckpt"), job.id(), step, Instant.now(), file.toString(),
                trainLoss, validationLoss, trainedTokens)).block(TIMEOUT);
        // Older checkpoints' files go; their rows stay, so the listing shows the whole curve.
        List<FineTuningCheckpoint> all = store.checkpoints(job.id()).collectList().block(TIMEOUT);
        for (FineTuningCheckpoint old : all.subList(Math.min(all.size(), properties.keepCheckpoints()), all.size())) {
            try {
                Files.deleteIfExists(Path.of(old.path()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the old checkpoint " + old.path(), e);
            }
        }
    }

    private void publish(FineTuningJob job, LoraTrainer trainer, Path directory, JobSettings settings,
                         TrainingFile trainFile, double trainLoss, Double validationLoss, JobEvaluation evaluation,
                         BooleanSupplier cancelled) {
        String name = modelName(job);
        Path adapter = directory.resolve(name + ".gguf");
        trainer.writeAdapter(adapter, name);
        String lineage = ("fine-tuning job %s: base %s, dataset %s v%d (%s), n_epochs=%d batch_size=%d "
                + "learning_rate=%s rank=%d alpha=%s dropout=%s target_modules=%s seed=%d, train loss %.4f%s")
                .formatted(job.id(), job.model(), trainFile.dataset(), trainFile.version(), trainFile.id(),
                        settings.epochs(), settings.batchSize(), settings.learningRate(), settings.rank(),
                        settings.alpha(), settings.dropout(), settings.targetModules(), job.seed(), trainLoss,
                        validationLoss == null ? "" : ", validation loss %.4f".formatted(validationLoss));
        registry.registerAdapter(name, adapter, job.model(), lineage, job.createdBy());
        if (evaluation != null) {
            evaluation = evaluate(job, evaluation, name, "after training", cancelled);
            if (cancelled.getAsBoolean()) {
                metrics.ended(false);
                return;
            }
        }
        if (store.finish(job.id(), FineTuningJob.SUCCEEDED, name, null, Instant.now()).block(TIMEOUT) > 0) {
            event(job, "info", "New fine-tuned model created: " + name + " (" + adapter + ")", null);
            event(job, "info", "The job has successfully completed", null);
        }
        metrics.ended(true);
        log.info("Fine-tuning job {} succeeded: {}", job.id(), lineage);
    }

    // ---- evaluation before and after ------------------------------------------------------------------------------

    /**
     * The evaluation of the base version before the first step, unless the job was created without one or it has
     * ended already (a job resumed after a restart waits for a run it started, which the evaluation runner resumes).
     */
    private JobEvaluation evaluateBase(FineTuningJob job, FineTuningJobs.Prepared prepared,
                                       BooleanSupplier cancelled) {
        JobEvaluation evaluation = FineTuningJobs.evaluation(job);
        if (evaluation == null) {
            return null;
        }
        if (evaluation.evaluationDataset() == null) {
            String dataset = evaluation.dataset();
            int items;
            if (evaluation.onValidation()) {
                List<Evaluations.ChatItem> heldOut = prepared.heldOutItems(properties.maxValidationExamples());
                dataset = evaluations.createChatDataset(job.id() + " held-out examples", job.tenant(), heldOut,
                        job.createdBy()).block(TIMEOUT);
                items = heldOut.size();
            } else {
                String given = dataset;
                items = evaluations.itemCount(given).blockOptional(TIMEOUT).orElseThrow(() ->
                        new IllegalStateException("its evaluation dataset " + given + " no longer exists"));
            }
            evaluation = save(job, evaluation.withDataset(dataset, items));
        }
        return evaluation.base() != null && evaluation.base().ended() ? evaluation
                : evaluate(job, evaluation, job.model(), "before training", cancelled);
    }

    /**
     * Runs (or, after a restart, waits for) the evaluation of {@code model}: the base version before training, the
     * adapter after. The runs queue behind other evaluation runs; the job waits for its own, at most
     * {@code hanul.finetune.evaluation-timeout}, and records what it ended with.
     */
    private JobEvaluation evaluate(FineTuningJob job, JobEvaluation evaluation, String model, String when,
                                   BooleanSupplier cancelled) {
        boolean before = model.equals(job.model());
        JobEvaluation.Side side = before ? evaluation.base() : evaluation.fineTuned();
        if (side == null || side.run() == null) {
            String run = evaluations.startRun(evaluation.evaluationDataset(), "%s %s: %s".formatted(job.id(), when,
                    model), model, evaluation.maxTokens(), job.createdBy()).block(TIMEOUT);
            side = JobEvaluation.Side.started(model, run);
            evaluation = save(job, before ? evaluation.withBase(side) : evaluation.withFineTuned(side));
            event(job, "info", "Evaluating %s %s on %d items (evaluation run %s)".formatted(model, when,
                    evaluation.items(), run), "message", Map.of("evaluation", when, "model", model, "run", run));
        }
        Evaluations.RunSummary summary = await(side.run(), cancelled);
        if (summary == null) {
            return evaluation;
        }
        side = new JobEvaluation.Side(model, summary.id(), summary.status(), summary.failed(), summary.means(),
                summary.error());
        evaluation = save(job, before ? evaluation.withBase(side) : evaluation.withFineTuned(side));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("evaluation", when);
        data.put("model", model);
        data.put("run", summary.id());
        data.put("status", summary.status());
        data.put("items", summary.done());
        data.put("failed", summary.failed());
        data.put("metrics", summary.means());
        if (!before && evaluation.delta() != null) {
            data.put("delta", evaluation.delta());
        }
        String message = "Evaluation of %s %s (run %s, %s): %s".formatted(model, when, summary.id(),
                summary.ended() ? summary.status() : "not ended within hanul.finetune.evaluation-timeout",
                scores(summary));
        event(job, summary.ended() && summary.failed() == 0 ? "info" : "warn", message, "message", data);
        log.info("Fine-tuning job {}: {}", job.id(), message);
        return evaluation;
    }

    /** The run once it has ended, or as it stands at the timeout; null when the job was cancelled meanwhile. */
    private Evaluations.RunSummary await(String runId, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + properties.evaluationTimeout().toNanos();
        while (true) {
            Evaluations.RunSummary summary = evaluations.run(runId).blockOptional(TIMEOUT).orElseThrow(() ->
                    new IllegalStateException("its evaluation run " + runId + " no longer exists"));
            if (summary.ended() || System.nanoTime() - deadline > 0) {
                return summary;
            }
            if (cancelled.getAsBoolean()) {
                return null;
            }
            try {
                Thread.sleep(EVALUATION_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for evaluation run " + runId, e);
            }
        }
    }

    private static String scores(Evaluations.RunSummary summary) {
        var text = new StringBuilder();
        summary.means().forEach((metric, mean) -> text.append(text.isEmpty() ? "" : ", ")
                .append("%s %.4f".formatted(metric, mean)));
        return text.append(" over %d of %d items%s".formatted(summary.done() - summary.failed(), summary.total(),
                summary.failed() == 0 ? "" : " (%d failed)".formatted(summary.failed()))).toString();
    }

    private JobEvaluation save(FineTuningJob job, JobEvaluation evaluation) {
        store.evaluation(job.id(), FineTuningJobs.JSON.writeValueAsString(evaluation)).block(TIMEOUT);
        return evaluation;
    }

    /** The adapter's name: ft-<base model>[-<suffix>]-<8 hex digits of the job id>, a valid registry name. */
    static String modelName(FineTuningJob job) {
        String base = job.model().substring(0, job.model().lastIndexOf('@') < 0 ? job.model().length()
                : job.model().lastIndexOf('@')).replaceAll("[^A-Za-z0-9._-]", "-");
        String id = job.id().substring(job.id().indexOf('-') + 1);
        return "ft-" + base + (job.suffix() == null ? "" : "-" + job.suffix()) + "-" + id.substring(0, 8);
    }

    private void event(FineTuningJob job, String level, String message, Map<String, Object> data) {
        event(job, level, message, data == null ? "message" : "metrics", data);
    }

    private void event(FineTuningJob job, String level, String message, String type, Map<String, Object> data) {
        store.event(job.id(), level, message, type, data == null ? null : FineTuningJobs.JSON.writeValueAsString(data))
                .block(TIMEOUT);
    }
}
