package dev.hanul.ingest;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

interface StoredChunkRepository extends ReactiveCrudRepository<StoredChunk, String> {

    Flux<StoredChunk> findByDocumentKeyOrderByOrdinal(String documentKey);

    Mono<Long> deleteByDocumentKey(String documentKey);
}
