package dev.hanul.ingest;

import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

interface StoredDocumentRepository extends ReactiveCrudRepository<StoredDocument, String> {

    Flux<StoredDocument> findByTenantOrderByDocumentId(String tenant, Pageable page);

    Mono<Long> countByTenant(String tenant);
}
