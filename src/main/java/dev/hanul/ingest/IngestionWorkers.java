package dev.hanul.ingest;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The queue of accepted job entries and the workers that drain it, {@code hanul.ingest.workers} documents at a time.
 * The queue holds entry ids only; the entries themselves are rows, so nothing accepted is lost with the process. At
 * start, before the web server takes requests, entries left unfinished by the last run are queued again (in the
 * order they were accepted) and staged uploads that no entry refers to are deleted.
 */
@Component
public class IngestionWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionWorkers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    private final IngestionPipeline pipeline;
    private final JobDocumentRepository jobDocuments;
    private final DocumentStaging staging;
    private final IngestProperties properties;
    private final AtomicInteger pending = new AtomicInteger();
    private Sinks.Many<String> queue;
    private Disposable workers;
    private CountDownLatch drained;
    private volatile boolean running;

    IngestionWorkers(IngestionPipeline pipeline, JobDocumentRepository jobDocuments, DocumentStaging staging,
            IngestProperties properties) {
        this.pipeline = pipeline;
        this.jobDocuments = jobDocuments;
        this.staging = staging;
        this.properties = properties;
    }

    /**
     * Reserves room for this many more documents, or answers false when the queue is full; a reservation ends when
     * its entry has been processed.
     */
    boolean reserve(int documents) {
        int after = pending.addAndGet(documents);
        if (after > properties.maxQueuedDocuments()) {
            pending.addAndGet(-documents);
            return false;
        }
        return true;
    }

    void release(int documents) {
        pending.addAndGet(-documents);
    }

    int pending() {
        return pending.get();
    }

    /** Queues an entry whose room was {@link #reserve reserved}. */
    synchronized void submit(String jobDocumentId) {
        // Emission is synchronized because requests on different event-loop threads submit concurrently.
        queue.emitNext(jobDocumentId, Sinks.EmitFailureHandler.FAIL_FAST);
    }

    @Override
    public synchronized void start() {
        queue = Sinks.many().unicast().onBackpressureBuffer();
        drained = new CountDownLatch(1);
        running = true;
        workers = queue.asFlux()
                .flatMap(this::work, properties.workers())
                .doFinally(signal -> drained.countDown())
                .subscribe();
        resumeUnfinished();
    }

    private Mono<JobDocument> work(String id) {
        // Once stopping, queued entries are left as they are in the database: the next start resumes them.
        Mono<JobDocument> entry = running ? jobDocuments.findById(id) : Mono.empty();
        return entry.flatMap(pipeline::process)
                .onErrorResume(failure -> {
                    log.error("Job entry {} could not be processed; it will be resumed at the next start", id,
                            failure);
                    return Mono.empty();
                })
                .doFinally(signal -> pending.decrementAndGet());
    }

    private void resumeUnfinished() {
        List<JobDocument> unfinished = jobDocuments.findByStatusInOrderByUpdatedAt(
                EnumSet.of(JobDocument.Status.QUEUED, JobDocument.Status.RUNNING)).collectList().block();
        Set<String> staged = unfinished.stream().map(JobDocument::stagedFile).collect(Collectors.toSet());
        staging.deleteAllExcept(staged);
        if (!unfinished.isEmpty()) {
            log.info("Resuming {} document(s) of unfinished ingestion jobs", unfinished.size());
        }
        pending.addAndGet(unfinished.size());
        unfinished.forEach(entry -> submit(entry.id()));
    }

    @Override
    public synchronized void stop() {
        running = false;
        queue.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        try {
            if (!drained.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Documents still in progress after {}; they will be resumed at the next start", STOP_WAIT);
                workers.dispose();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before the web server (which starts in a later phase) and so stops after it. */
    @Override
    public int getPhase() {
        return 0;
    }
}
