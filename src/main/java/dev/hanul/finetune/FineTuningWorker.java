package dev.hanul.finetune;

import dev.hanul.inference.Inference;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.registry.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The device's one training slot: a thread that runs jobs one at a time, a job left running by the last process
 * first (it resumes from its checkpoint), then the queued ones, oldest first. The queue is the jobs' rows, so nothing
 * accepted is lost with the process. At start it also serves again the adapters of the jobs that succeeded (adapters
 * the registry serves are held in memory only).
 */
@Component
class FineTuningWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FineTuningWorker.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration IDLE_POLL = Duration.ofSeconds(2);
    private static final Duration MODEL_WAIT = Duration.ofMinutes(10);

    private final FineTuningStore store;
    private final ObjectProvider<JobRun> run;
    private final ModelRegistry registry;
    private final Inference inference;
    private final FileContents contents;
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private volatile boolean running;
    private Thread thread;

    FineTuningWorker(FineTuningStore store, ObjectProvider<JobRun> run, ModelRegistry registry,
                     Inference inference, FileContents contents) {
        this.contents = contents;
        this.store = store;
        this.run = run;
        this.registry = registry;
        this.inference = inference;
    }

    /** A job was queued: look now instead of at the next poll. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** Stops the job at its next step if it is the one training. */
    void cancel(String jobId) {
        cancelled.add(jobId);
        wake();
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("fine-tuning").daemon(true).start(this::work);
    }

    private void work() {
        serveFinishedAdapters();
        while (running) {
            try {
                FineTuningJob next = next();
                if (next == null) {
                    synchronized (signal) {
                        signal.wait(IDLE_POLL.toMillis());
                    }
                    continue;
                }
                train(next);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("The fine-tuning worker failed; it goes on with the next job", e);
                sleep();
            }
        }
    }

    /** A job left running by the last process first, then the oldest queued one. */
    private FineTuningJob next() {
        FineTuningJob job = store.jobsIn(List.of(FineTuningJob.RUNNING)).next().block(TIMEOUT);
        return job != null ? job : store.jobsIn(List.of(FineTuningJob.QUEUED)).next().block(TIMEOUT);
    }

    private void train(FineTuningJob job) throws InterruptedException {
        if (job.status().equals(FineTuningJob.QUEUED) && store.transition(job.id(), List.of(FineTuningJob.QUEUED),
                FineTuningJob.RUNNING, Instant.now()).block(TIMEOUT) == 0) {
            return;
        }
        if (!awaitModel(job)) {
            return;
        }
        run.getObject().run(job, () -> cancelled.contains(job.id()) || !running);
        cancelled.remove(job.id());
    }

    /** Waits for the job's base model to be ready (after a restart it is still loading); fails the job after a while. */
    private boolean awaitModel(FineTuningJob job) throws InterruptedException {
        long deadline = System.nanoTime() + MODEL_WAIT.toNanos();
        while (running) {
            try {
                inference.route(job.model(), null).model();
                return true;
            } catch (InferenceFailure.ModelNotReady e) {
                if (System.nanoTime() > deadline) {
                    fail(job, "its base model " + job.model() + " was not ready within " + MODEL_WAIT.toMinutes()
                            + " minutes: " + e.getMessage());
                    return false;
                }
                Thread.sleep(500);
            } catch (InferenceFailure | IllegalStateException e) {
                fail(job, "its base model " + job.model() + " cannot be used: " + e.getMessage());
                return false;
            }
        }
        return false;
    }

    private void fail(FineTuningJob job, String reason) {
        if (store.finish(job.id(), FineTuningJob.FAILED, null, reason, Instant.now()).block(TIMEOUT) > 0) {
            store.event(job.id(), "error", "The job failed: " + reason, "message", null).block(TIMEOUT);
        }
    }

    private void serveFinishedAdapters() {
        try {
            for (FineTuningJob job : store.jobsIn(List.of(FineTuningJob.SUCCEEDED)).collectList().block(TIMEOUT)) {
                String name = job.fineTunedModel();
                if (name == null || registry.serves(name)) {
                    continue;
                }
                Path adapter = contents.jobDirectory(job.id()).resolve(name + ".gguf");
                if (!Files.isRegularFile(adapter)) {
                    log.warn("The adapter of fine-tuning job {} ({}) is missing; it is not served", job.id(), name);
                    continue;
                }
                registry.registerAdapter(name, adapter, job.model(), null, "fine-tuning");
            }
        } catch (RuntimeException e) {
            log.error("The adapters of finished fine-tuning jobs could not all be served again", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(IDLE_POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        wake();
        if (thread != null) {
            // Not interrupted: a step under way finishes and the job stays running, to resume at the next start.
            try {
                thread.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the registry (which starts before the web server), so its models are registered and loading. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
