package dev.hanul.ingest;

import java.util.concurrent.Callable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The threads that parse, embed and index: as many as {@code hanul.ingest.workers}, so blocking work never runs on
 * an event-loop thread and ingestion cannot take more cores than it was given.
 */
@Component
public class IngestScheduler implements AutoCloseable {

    private final Scheduler scheduler;

    public IngestScheduler(IngestProperties properties) {
        this.scheduler = Schedulers.newBoundedElastic(properties.workers(), Integer.MAX_VALUE, "hanul-ingest");
    }

    public <T> Mono<T> run(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(scheduler);
    }

    /** Lets running work finish (interrupting Lucene mid-write would close its files) and takes no more. */
    @Override
    public void close() {
        scheduler.disposeGracefully().block();
    }
}
