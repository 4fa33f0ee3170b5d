package dev.hanul.ingest;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;

interface IngestionJobRepository extends ReactiveCrudRepository<IngestionJob, String> {
}
