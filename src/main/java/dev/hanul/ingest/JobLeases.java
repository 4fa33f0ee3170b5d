package dev.hanul.ingest;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which replica works on which job entry: the lease columns of {@code job_document} (V70). A replica holds the entries
 * of the jobs it accepted and renews their leases while it lives; entries whose lease lapsed are taken over by
 * another replica with {@code SELECT … FOR UPDATE SKIP LOCKED}, so two replicas looking at once never take the same
 * entry and neither waits for the other. The lease columns are not fields of {@link JobDocument}: saving an entry's
 * progress never touches them, so a slow former owner cannot hand a lease back to itself.
 *
 * <p>Lease times come from the replica's clock: replicas' clocks must agree to within a small part of the lease
 * (NTP does).
 */
@Component
class JobLeases {

    private static final String UNFINISHED = "status IN ('QUEUED', 'RUNNING')";

    private final DatabaseClient database;
    private final TransactionalOperator transaction;
    private final String owner;
    private final Duration lease;

    JobLeases(DatabaseClient database, TransactionalOperator transaction, ReplicaIdentity replica,
            IngestProperties properties) {
        this.database = database;
        this.transaction = transaction;
        this.owner = replica.id();
        this.lease = properties.lease();
    }

    String owner() {
        return owner;
    }

    /** Takes the leases of a new job's entries; runs inside the transaction that records the job. */
    Mono<Long> takeJob(String jobId) {
        return database.sql("UPDATE job_document SET lease_owner = :owner, lease_expires_at = :until "
                        + "WHERE job_id = :job")
                .bind("owner", owner).bind("until", until()).bind("job", jobId)
                .fetch().rowsUpdated();
    }

    /** Extends the leases of every unfinished entry this replica holds, queued or in progress. */
    Mono<Long> renew() {
        return database.sql("UPDATE job_document SET lease_expires_at = :until WHERE lease_owner = :owner AND "
                        + UNFINISHED)
                .bind("until", until()).bind("owner", owner)
                .fetch().rowsUpdated();
    }

    /**
     * At start: the unfinished entries this replica held in its previous run (same id: it crashed or was stopped)
     * and those nobody holds (accepted before leases existed), in the order they were accepted.
     */
    Flux<String> takeOwn() {
        return database.sql("UPDATE job_document SET lease_owner = :owner, lease_expires_at = :until WHERE "
                        + UNFINISHED + " AND (lease_owner = :previous OR lease_owner IS NULL)")
                .bind("owner", owner).bind("until", until()).bind("previous", owner)
                .fetch().rowsUpdated()
                .thenMany(database.sql("SELECT id FROM job_document WHERE lease_owner = :owner AND " + UNFINISHED
                                + " ORDER BY updated_at")
                        .bind("owner", owner)
                        .map(row -> row.get("id", String.class)).all())
                .as(transaction::transactional);
    }

    /**
     * Takes over at most {@code limit} unfinished entries whose lease lapsed (their replica died or was stopped),
     * oldest first. Rows another replica is taking over at this moment are locked and skipped, not waited for.
     */
    Flux<String> takeOver(int limit) {
        OffsetDateTime now = now();
        return database.sql("SELECT id FROM job_document WHERE " + UNFINISHED + " AND (lease_owner IS NULL OR "
                        + "lease_expires_at < :now) ORDER BY updated_at LIMIT " + Math.max(1, limit)
                        + " FOR UPDATE SKIP LOCKED")
                .bind("now", now)
                .map(row -> row.get("id", String.class)).all()
                .collectList()
                .flatMapMany(ids -> ids.isEmpty() ? Flux.<String>empty() : database.sql("UPDATE job_document SET "
                                + "lease_owner = :owner, lease_expires_at = :until WHERE id IN (:ids)")
                        .bind("owner", owner).bind("until", until()).bind("ids", ids)
                        .fetch().rowsUpdated()
                        .thenMany(Flux.fromIterable(ids)))
                .as(transaction::transactional);
    }

    /** Whether this replica still holds the entry's lease (no other replica took it over meanwhile). */
    Mono<Boolean> holds(String entryId) {
        return database.sql("SELECT lease_owner FROM job_document WHERE id = :id")
                .bind("id", entryId)
                .map(row -> owner.equals(row.get("lease_owner", String.class))).first()
                .defaultIfEmpty(false);
    }

    /** Lets the leases of this replica's unfinished entries lapse now, so that another replica resumes them at once. */
    Mono<Long> releaseAll() {
        return database.sql("UPDATE job_document SET lease_expires_at = :now WHERE lease_owner = :owner AND "
                        + UNFINISHED)
                .bind("now", now()).bind("owner", owner)
                .fetch().rowsUpdated();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private OffsetDateTime until() {
        return now().plus(lease);
    }
}
