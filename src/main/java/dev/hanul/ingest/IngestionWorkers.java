package dev.hanul.ingest;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The queue of accepted job entries and the workers that drain it, {@code hanul.ingest.workers} documents at a time.
 * The queue holds entry ids only; the entries themselves are rows, so nothing accepted is lost with the process.
 *
 * <p>Each entry is worked on by the replica that holds its lease ({@link JobLeases}): the one that accepted its job.
 * At start, before the web server takes requests, this replica takes back the unfinished entries it held before (in
 * the order they were accepted), and staged uploads that no unfinished entry refers to are deleted. While it runs it
 * renews its leases every third of {@code hanul.ingest.lease} and, whenever it has an idle worker, takes over entries
 * whose lease lapsed because the replica holding them died. With one replica (the embedded database) that is
 * exactly the resume-at-start of a single process.
 */
@Component
public class IngestionWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestionWorkers.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private final IngestionPipeline pipeline;
    private final JobDocumentRepository jobDocuments;
    private final JobLeases leases;
    private final DocumentStaging staging;
    private final IngestProperties properties;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean takingOver = new AtomicBoolean();
    /** Serializes emissions: requests on different event-loop threads submit concurrently, and stop completes. */
    private final Object emitting = new Object();
    private Sinks.Many<String> queue;
    private Disposable workers;
    private Disposable leaseKeeper;
    private CountDownLatch drained;
    private volatile boolean running;

    IngestionWorkers(IngestionPipeline pipeline, JobDocumentRepository jobDocuments, JobLeases leases,
            DocumentStaging staging, IngestProperties properties) {
        this.pipeline = pipeline;
        this.jobDocuments = jobDocuments;
        this.leases = leases;
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

    /** Queues an entry whose room was {@link #reserve reserved} and whose lease this replica holds. */
    void submit(String jobDocumentId) {
        synchronized (emitting) {
            if (!running) {
                // Stopping: the entry stays in the database with its lease, released for another replica (or the
                // next start) to resume.
                pending.decrementAndGet();
                return;
            }
            queue.emitNext(jobDocumentId, Sinks.EmitFailureHandler.FAIL_FAST);
        }
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
        resumeOwn();
        Duration renewal = properties.lease().dividedBy(3);
        leaseKeeper = Flux.interval(Duration.ZERO, renewal)
                .onBackpressureDrop()
                .concatMap(tick -> leases.renew()
                        .then(takeOver())
                        .onErrorResume(failure -> {
                            log.warn("Could not renew or take over ingestion leases ({}); retrying in {}",
                                    failure.toString(), renewal);
                            return Mono.empty();
                        }))
                .subscribe();
    }

    private Mono<JobDocument> work(String id) {
        // Once stopping, queued entries are left as they are in the database: the next start resumes them.
        Mono<JobDocument> entry = running ? jobDocuments.findById(id) : Mono.empty();
        return entry
                .filterWhen(found -> leases.holds(found.id()).doOnNext(held -> {
                    if (!held) {
                        log.info("Job entry {} was taken over by another replica while it waited here", id);
                    }
                }))
                .flatMap(pipeline::process)
                .onErrorResume(failure -> {
                    log.error("Job entry {} could not be processed; it will be resumed at the next start, or by "
                            + "another replica once this one stops", id, failure);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    pending.decrementAndGet();
                    takeOver().subscribe();
                });
    }

    /**
     * Takes over entries whose lease lapsed, as many as there are idle workers: the others stay for the replicas
     * that have idle workers of their own, so a dead replica's job is shared by the survivors.
     */
    private Mono<Void> takeOver() {
        // Deferred: the guard is taken when the work starts, so a take-over that never runs cannot keep it.
        return Mono.defer(() -> {
            int idle = properties.workers() - pending.get();
            if (!running || idle <= 0 || !takingOver.compareAndSet(false, true)) {
                return Mono.empty();
            }
            return leases.takeOver(idle).collectList()
                    .doOnNext(ids -> {
                        if (!ids.isEmpty()) {
                            log.info("Took over {} document(s) of ingestion jobs whose replica's lease lapsed",
                                    ids.size());
                            pending.addAndGet(ids.size());
                            ids.forEach(this::submit);
                        }
                    })
                    .onErrorResume(failure -> {
                        log.warn("Could not take over lapsed ingestion leases: {}", failure.toString());
                        return Mono.empty();
                    })
                    .doFinally(signal -> takingOver.set(false))
                    .then();
        });
    }

    private void resumeOwn() {
        List<JobDocument> unfinished = jobDocuments.findByStatusInOrderByUpdatedAt(
                EnumSet.of(JobDocument.Status.QUEUED, JobDocument.Status.RUNNING)).collectList().block();
        // Every replica's unfinished entries keep their files: any replica may resume them from a shared directory.
        Set<String> staged = unfinished.stream().map(JobDocument::stagedFile).collect(Collectors.toSet());
        staging.deleteAllExcept(staged);
        List<String> own = leases.takeOwn().collectList().block();
        if (!own.isEmpty()) {
            log.info("Resuming {} document(s) of unfinished ingestion jobs", own.size());
        }
        pending.addAndGet(own.size());
        own.forEach(this::submit);
    }

    @Override
    public synchronized void stop() {
        running = false;
        leaseKeeper.dispose();
        synchronized (emitting) {
            queue.emitComplete(Sinks.EmitFailureHandler.FAIL_FAST);
        }
        try {
            if (!drained.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Documents still in progress after {}; they will be resumed at the next start", STOP_WAIT);
                workers.dispose();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.dispose();
        }
        try {
            leases.releaseAll().block(RELEASE_WAIT);
        } catch (RuntimeException e) {
            log.warn("Could not release this replica's ingestion leases ({}); other replicas take the entries over "
                    + "when the leases lapse", e.toString());
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
