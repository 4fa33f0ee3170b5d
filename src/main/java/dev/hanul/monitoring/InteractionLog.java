package dev.hanul.monitoring;

import dev.hanul.api.Tenants;
import dev.hanul.config.DataDirectory;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.Usage;
import dev.hanul.inference.GenerationObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.util.context.ContextView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records every generation in the interaction log. The request path only builds a small value, appends it to the
 * journal ({@link InteractionJournal}) before the answer ends, and hands it to a bounded queue; one writer thread
 * scores it ({@link QualityScorer}s), writes it, and deletes records older than the retention once an hour. A record
 * of an answer a client received therefore survives a killed process: the next start writes what the journal holds
 * and the database does not. When the queue is full a record is dropped and counted rather than slowing the answer.
 */
@Component
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class InteractionLog implements GenerationObserver, RefusalLog, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InteractionLog.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Duration YIELD_AT_MOST = Duration.ofSeconds(2);
    private static final long JOURNAL_SEGMENT_BYTES = 8L << 20;
    /** How often the journal goes to the disk (fsync): a killed process needs none, a machine losing power does. */
    private static final Duration SYNC_EVERY = Duration.ofMillis(200);

    /**
     * What the request path hands to the writer. It holds no model version: a queued record must not keep an
     * unloaded version's engine and weights alive, so the version is named, its prompt decoded at once where stored,
     * and its engine (for {@link #yieldToEngine}) held weakly.
     */
    record Finished(Served request, InteractionNote note, String response, String finishReason, Usage usage,
                    Double ttftMs, double durationMs) {
    }

    /**
     * @param version the answering version's id ({@code name@version})
     * @param prompt  the prompt as text; null when prompts are not stored
     */
    record Served(String id, String requested, String version, String prompt, Instant at,
                  WeakReference<InferenceEngine> engine) {

        static Served of(Accepted accepted, boolean storePrompt) {
            return new Served(accepted.request().id(), accepted.requested(), accepted.version().id(),
                    storePrompt ? accepted.version().tokenizer().decode(accepted.request().prompt()) : null,
                    accepted.at(), new WeakReference<>(accepted.version().localEngine()));
        }
    }

    private final InteractionStore store;
    private final MonitoringProperties.Interactions settings;
    private final List<QualityScorer> scorers;
    private final JsonMapper json;
    private final BlockingQueue<Queued> queue;
    /** Places in the queue; taken before a record is journaled, so that a journaled record always finds room. */
    private final Semaphore room;
    private final InteractionJournal journal;
    private final Counter journalFailures;
    private final PiiFinder pii = new PiiFinder();
    private final Counter dropped;
    private final Counter written;
    private final Counter unscored;
    private volatile Thread writer;
    private volatile boolean running;

    /** A record on its way to the database, and the journal segment that holds it (-1: not journaled). */
    private record Queued(Finished finished, long segment) {
    }

    InteractionLog(InteractionStore store, MonitoringProperties properties, ObjectProvider<QualityScorer> scorers,
            JsonMapper json, MeterRegistry registry, DataDirectory dataDirectory) {
        this.store = store;
        this.settings = properties.interactions();
        this.scorers = scorers.orderedStream().toList();
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.room = new Semaphore(settings.queueCapacity());
        this.journal = new InteractionJournal(dataDirectory.path().resolve("journal").resolve("interactions"),
                JOURNAL_SEGMENT_BYTES);
        this.journalFailures = Counter.builder("hanul.interactions.journal.failures")
                .description("Interaction records that could not be appended to the journal (then kept in memory only)")
                .register(registry);
        this.dropped = Counter.builder("hanul.interactions.dropped")
                .description("Interaction records dropped because the write queue was full").register(registry);
        this.written = Counter.builder("hanul.interactions.written")
                .description("Interaction records written").register(registry);
        this.unscored = Counter.builder("hanul.interactions.unscored")
                .description("Interaction records written without quality scores because the write queue was more "
                        + "than half full").register(registry);
        Gauge.builder("hanul.interactions.queued", queue, BlockingQueue::size)
                .description("Interaction records waiting to be scored and written").register(registry);
    }

    @Override
    public Tracker accepted(Accepted request, ContextView context) {
        InteractionNote note = InteractionNote.in(context);
        var timeline = new RequestTimeline(request.startNanos());
        int samples = Math.max(1, request.request().params().n());
        return new Tracker() {
            private boolean recorded;

            @Override
            public void onEvent(GenerationEvent event, long nanos) {
                timeline.add(event, nanos);
                // The last sample's end is recorded before the event passes on, so before the client can see the
                // answer end: what a client received is in the journal.
                if (event instanceof GenerationEvent.Finished && timeline.reasons().size() == samples) {
                    record(End.COMPLETED, nanos);
                }
            }

            @Override
            public void onEnd(End end, Throwable failure, long nanos) {
                record(end, nanos);
            }

            private void record(End end, long nanos) {
                if (recorded) {
                    return;
                }
                recorded = true;
                enqueue(new Finished(Served.of(request, settings.storePrompt()), note, timeline.text(),
                        ServingMetrics.finishedReason(timeline.reason(), end), timeline.usage(),
                        timeline.sawToken() ? timeline.timeToFirstToken() * 1000 : null,
                        (nanos - request.startNanos()) / 1e6));
            }
        };
    }

    @Override
    public void refused(String id, InteractionNote note, String requested, String version) {
        String guardrails = note.guardrails() == null || note.guardrails().decisions().isEmpty() ? null
                : json.writeValueAsString(note.guardrails().decisions());
        store.insert(new Interaction(id, note.tenant(), note.api(), requested, version, note.templateName(),
                        note.templateVersion(), redact(note.question()), null, "", "blocked", null, null, null, null,
                        0, null, null, null, null, null, Instant.now(), guardrails))
                .subscribe(written -> this.written.increment(),
                        e -> log.warn("The interaction log could not record a refused request: {}", e.toString()));
    }

    private void enqueue(Finished finished) {
        if (!room.tryAcquire()) {
            dropped.increment();
            return;
        }
        long segment = -1;
        try {
            segment = journal.append(json.writeValueAsBytes(JournaledInteraction.of(finished)));
        } catch (IOException | RuntimeException e) {
            journalFailures.increment();
            log.warn("Interaction {} could not be journaled ({}); it is kept in memory until written",
                    finished.request().id(), e.toString());
        }
        queue.add(new Queued(finished, segment));
    }

    private void drain() {
        // scoring (embeddings, the toxicity model) takes only the CPU generation leaves
        BackgroundPriority.lowerCurrentThread();
        recover();
        long lastSync = 0;
        Instant nextPurge = Instant.now();
        while (running || !queue.isEmpty()) {
            try {
                if (!Instant.now().isBefore(nextPurge)) {
                    purge();
                    nextPurge = Instant.now().plus(PURGE_EVERY);
                }
                Queued next = queue.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    try {
                        if (System.nanoTime() - lastSync > SYNC_EVERY.toNanos()) {
                            journal.sync();
                            lastSync = System.nanoTime();
                        }
                        yieldToEngine(next.finished());
                        // a record whose write fails stays in its journal segment: the next start writes it
                        write(next.finished());
                        if (next.segment() >= 0) {
                            journal.written(next.segment());
                        }
                    } finally {
                        room.release();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("The interaction log could not write a record: {}", e.toString());
            }
        }
    }

    /**
     * Writes what the journal holds from before this start and the database does not: the records of answers that
     * ended before a crash. A record already written (the process died before its segment was deleted) is not
     * written twice.
     */
    private void recover() {
        try {
            List<InteractionJournal.Recovered> recovered = journal.recover();
            int restored = 0;
            for (InteractionJournal.Recovered entry : recovered) {
                Finished finished = json.readValue(entry.payload(), JournaledInteraction.class).finished();
                if (!Boolean.TRUE.equals(store.exists(finished.request().id()).block(Duration.ofSeconds(30)))) {
                    write(finished);
                    restored++;
                }
            }
            journal.discardRecovered();
            if (!recovered.isEmpty()) {
                log.info("Interaction journal: {} records from before the last stop, {} of them written now",
                        recovered.size(), restored);
            }
        } catch (IOException | RuntimeException e) {
            log.error("The interaction journal could not be replayed ({}); its segments are kept in {} for the next "
                    + "start", e.toString(), "journal/interactions");
        }
    }

    /**
     * Scoring embeds texts, which competes with generation for the CPU on a small machine: wait while the version's
     * engine has requests, at most {@link #YIELD_AT_MOST} per record, and not at all once the backlog fills half
     * the queue (then records must move on, or they would be dropped).
     */
    private void yieldToEngine(Finished finished) throws InterruptedException {
        long until = System.nanoTime() + YIELD_AT_MOST.toNanos();
        while (queue.size() < settings.queueCapacity() / 2 && System.nanoTime() < until && busy(finished)) {
            Thread.sleep(20);
        }
    }

    private static boolean busy(Finished finished) {
        try {
            InferenceEngine engine = finished.request().engine().get();
            if (engine == null) {
                return false;
            }
            var stats = engine.stats();
            return stats.running() + stats.waiting() > 0;
        } catch (RuntimeException unloaded) {
            return false;
        }
    }

    /**
     * Scores the record and writes it. While the backlog fills more than half the queue (generation has kept the CPU
     * from the low-priority scoring for a while), and once the service stops, records are written unscored, and
     * counted, so that a busy machine samples its quality scores rather than drops its records.
     */
    private void write(Finished finished) {
        Map<String, Double> scores;
        // Once the service stops, what is left is written unscored: at JVM exit ONNX Runtime's own shutdown hook
        // releases its native environment while ours run, and an embedding begun then crashed the process.
        if (running && !JvmExit.begun() && queue.size() < settings.queueCapacity() / 2) {
            scores = scores(finished);
        } else {
            scores = Map.of();
            unscored.increment();
        }
        store.insert(record(finished, scores)).block(Duration.ofSeconds(30));
        written.increment();
    }

    private Map<String, Double> scores(Finished finished) {
        var scores = new LinkedHashMap<String, Double>();
        for (QualityScorer scorer : scorers) {
            try {
                scores.putAll(scorer.score(finished));
            } catch (RuntimeException e) {
                log.warn("Quality scorer {} failed on {}: {}", scorer, finished.request().id(),
                        e.toString());
            }
        }
        return scores;
    }

    private Interaction record(Finished f, Map<String, Double> scores) {
        InteractionNote note = f.note();
        Served request = f.request();
        String prompt = redact(request.prompt());
        List<RetrievedChunk> chunks = note == null ? List.of() : note.chunks();
        Usage usage = f.usage();
        return new Interaction(request.id(), note == null ? Tenants.DEFAULT : note.tenant(),
                note == null ? "unknown" : note.api(), request.requested(), request.version(),
                note == null ? null : note.templateName(), note == null ? null : note.templateVersion(),
                note == null ? null : redact(note.question()), prompt, redact(f.response()), f.finishReason(),
                usage == null ? null : usage.promptTokens(), usage == null ? null : usage.completionTokens(),
                usage == null ? null : usage.cachedPromptTokens(), f.ttftMs(), f.durationMs(),
                chunks.isEmpty() ? null : json.writeValueAsString(chunks),
                scores.isEmpty() ? null : json.writeValueAsString(scores), null, null, null, request.at(),
                note == null || note.guardrails() == null || note.guardrails().decisions().isEmpty() ? null
                        : json.writeValueAsString(note.guardrails().decisions()));
    }

    /**
     * Personal data in what is stored, as {@code [EMAIL]}, {@code [PHONE]}, … unless redaction is off: the guardrails
     * already show the model placeholders, and this catches what they did not see (an answer's own, a tenant whose
     * policy only flags).
     */
    private String redact(String text) {
        if (!settings.redactPii() || text == null || text.isEmpty()) {
            return text;
        }
        List<PiiFinder.Found> found = pii.find(text);
        if (found.isEmpty()) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int at = 0;
        for (PiiFinder.Found f : found) {
            if (f.start() >= at) {
                out.append(text, at, f.start()).append('[').append(f.kind().name()).append(']');
                at = f.end();
            }
        }
        return out.append(text, at, text.length()).toString();
    }

    private void purge() {
        Instant before = Instant.now().minus(settings.retention());
        Long deleted = store.deleteOlderThan(before).block(Duration.ofMinutes(5));
        if (deleted != null && deleted > 0) {
            log.info("Deleted {} interaction records older than {} (hanul.monitoring.interactions.retention)",
                    deleted, settings.retention());
        }
    }

    /** Waits until everything queued so far is written, the record being written included (tests, shutdown). */
    void flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (room.availablePermits() < settings.queueCapacity() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Override
    public void start() {
        running = true;
        writer = Thread.ofPlatform().daemon().name("interaction-log").start(this::drain);
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = writer;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("The interaction journal did not close: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    List<QualityScorer> scorers() {
        return new ArrayList<>(scorers);
    }
}
