package dev.hanul.ingest;

import java.util.Collection;
import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

interface JobDocumentRepository extends ReactiveCrudRepository<JobDocument, String> {

    Flux<JobDocument> findByJobIdOrderBySeq(String jobId);

    Flux<JobDocument> findByStatusInOrderByUpdatedAt(Collection<JobDocument.Status> statuses);
}
