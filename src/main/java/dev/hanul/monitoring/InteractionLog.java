package dev.hanul.monitoring;

import dev.hanul.api.Tenants;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.Usage;
import dev.hanul.inference.GenerationObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
 * Records every generation in the interaction log. The request path only builds a small value and offers it to a
 * bounded queue; one writer thread scores it ({@link QualityScorer}s), writes it, and deletes records older than the
 * retention once an hour. When the queue is full a record is dropped and counted rather than slowing the answer.
 */
@Component
@ConditionalOnProperty(prefix = "hanul.monitoring", name = "enabled", matchIfMissing = true)
class InteractionLog implements GenerationObserver, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InteractionLog.class);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    private static final Duration YIELD_AT_MOST = Duration.ofSeconds(2);

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
    private final BlockingQueue<Finished> queue;
    private final Counter dropped;
    private final Counter written;
    private volatile Thread writer;
    private volatile boolean running;

    InteractionLog(InteractionStore store, MonitoringProperties properties, ObjectProvider<QualityScorer> scorers,
            JsonMapper json, MeterRegistry registry) {
        this.store = store;
        this.settings = properties.interactions();
        this.scorers = scorers.orderedStream().toList();
        this.json = json;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.dropped = Counter.builder("hanul.interactions.dropped")
                .description("Interaction records dropped because the write queue was full").register(registry);
        this.written = Counter.builder("hanul.interactions.written")
                .description("Interaction records written").register(registry);
        Gauge.builder("hanul.interactions.queued", queue, BlockingQueue::size)
                .description("Interaction records waiting to be scored and written").register(registry);
    }

    @Override
    public Tracker accepted(Accepted request, ContextView context) {
        InteractionNote note = InteractionNote.in(context);
        var timeline = new RequestTimeline(request.startNanos());
        return new Tracker() {
            @Override
            public void onEvent(GenerationEvent event, long nanos) {
                timeline.add(event, nanos);
            }

            @Override
            public void onEnd(End end, Throwable failure, long nanos) {
                var finished = new Finished(Served.of(request, settings.storePrompt()), note, timeline.text(),
                        ServingMetrics.finishedReason(timeline.reason(), end), timeline.usage(),
                        timeline.sawToken() ? timeline.timeToFirstToken() * 1000 : null,
                        (nanos - request.startNanos()) / 1e6);
                if (!queue.offer(finished)) {
                    dropped.increment();
                }
            }
        };
    }

    private void drain() {
        Instant nextPurge = Instant.now();
        while (running || !queue.isEmpty()) {
            try {
                if (!Instant.now().isBefore(nextPurge)) {
                    purge();
                    nextPurge = Instant.now().plus(PURGE_EVERY);
                }
                Finished next = queue.poll(200, TimeUnit.MILLISECONDS);
                if (next != null) {
                    yieldToEngine(next);
                    write(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("The interaction log could not write a record: {}", e.toString());
            }
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

    private void write(Finished finished) {
        store.insert(record(finished, scores(finished))).block(Duration.ofSeconds(30));
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
        String prompt = request.prompt();
        List<RetrievedChunk> chunks = note == null ? List.of() : note.chunks();
        Usage usage = f.usage();
        return new Interaction(request.id(), note == null ? Tenants.DEFAULT : note.tenant(),
                note == null ? "unknown" : note.api(), request.requested(), request.version(),
                note == null ? null : note.templateName(), note == null ? null : note.templateVersion(),
                note == null ? null : note.question(), prompt, f.response(), f.finishReason(),
                usage == null ? null : usage.promptTokens(), usage == null ? null : usage.completionTokens(),
                usage == null ? null : usage.cachedPromptTokens(), f.ttftMs(), f.durationMs(),
                chunks.isEmpty() ? null : json.writeValueAsString(chunks),
                scores.isEmpty() ? null : json.writeValueAsString(scores), null, null, null, request.at());
    }

    private void purge() {
        Instant before = Instant.now().minus(settings.retention());
        Long deleted = store.deleteOlderThan(before).block(Duration.ofMinutes(5));
        if (deleted != null && deleted > 0) {
            log.info("Deleted {} interaction records older than {} (hanul.monitoring.interactions.retention)",
                    deleted, settings.retention());
        }
    }

    /** Waits until everything queued so far is written (tests, shutdown). */
    void flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < deadline) {
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
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    List<QualityScorer> scorers() {
        return new ArrayList<>(scorers);
    }
}
