package dev.hanul.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs work on one document one at a time: two jobs re-ingesting the same document, or a delete racing an ingest,
 * would otherwise interleave their index writes and metadata rows. Work on different documents runs in parallel.
 * Waiting is reactive: no thread is blocked while a document's previous work finishes.
 */
@Component
public class DocumentLocks {

    private final ConcurrentMap<String, Mono<Void>> tails = new ConcurrentHashMap<>();

    /** Runs {@code work} after all work submitted earlier for the same key has finished, successfully or not. */
    public <T> Mono<T> serialize(String key, Mono<T> work) {
        return Mono.defer(() -> {
            Sinks.Empty<Void> finished = Sinks.empty();
            Mono<Void> mine = finished.asMono();
            Mono<Void> previous = tails.put(key, mine);
            return (previous == null ? Mono.<Void>empty() : previous)
                    .then(work)
                    .doFinally(signal -> {
                        finished.tryEmitEmpty();
                        tails.remove(key, mine);
                    });
        });
    }
}
