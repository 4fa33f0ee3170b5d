package dev.hanul.finetune;

import static org.springframework.data.relational.core.query.Criteria.where;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The fine-tuning tables. Every read a request makes names its tenant, so one tenant never sees another's files,
 * jobs, events or checkpoints; the worker reads jobs by id or status only.
 */
@Component
class FineTuningStore {

    private final R2dbcEntityTemplate database;
    private final AtomicLong lastSeq = new AtomicLong();

    FineTuningStore(R2dbcEntityTemplate database) {
        this.database = database;
    }

    // ---- files --------------------------------------------------------------------------------------------------

    Mono<TrainingFile> insert(TrainingFile file) {
        return database.insert(file);
    }

    Mono<TrainingFile> file(String tenant, String id) {
        return database.selectOne(Query.query(where("tenant").is(tenant).and("id").is(id)), TrainingFile.class);
    }

    Flux<TrainingFile> files(String tenant, String purpose) {
        Criteria criteria = where("tenant").is(tenant);
        if (purpose != null && !purpose.isBlank()) {
            criteria = criteria.and("purpose").is(purpose);
        }
        return database.select(Query.query(criteria).sort(Sort.by(Sort.Direction.DESC, "createdAt")),
                TrainingFile.class);
    }

    /** The next version of a tenant's dataset: one more than the newest. */
    Mono<Integer> nextVersion(String tenant, String dataset) {
        return database.select(Query.query(where("tenant").is(tenant).and("dataset").is(dataset))
                        .sort(Sort.by(Sort.Direction.DESC, "version")).limit(1), TrainingFile.class)
                .next().map(file -> file.version() + 1).defaultIfEmpty(1);
    }

    Mono<Long> deleteFile(String tenant, String id) {
        return database.delete(Query.query(where("tenant").is(tenant).and("id").is(id)), TrainingFile.class);
    }

    /** Jobs not yet finished that train on the file: it may not be deleted under them. */
    Mono<Long> unfinishedJobsUsing(String tenant, String fileId) {
        return database.count(Query.query(where("tenant").is(tenant)
                .and(where("trainingFile").is(fileId).or("validationFile").is(fileId))
                .and("status").in(FineTuningJob.VALIDATING, FineTuningJob.QUEUED, FineTuningJob.RUNNING)),
                FineTuningJob.class);
    }

    // ---- jobs ---------------------------------------------------------------------------------------------------

    Mono<FineTuningJob> insert(FineTuningJob job) {
        return database.insert(job);
    }

    Mono<FineTuningJob> update(FineTuningJob job) {
        return database.update(job);
    }

    Mono<FineTuningJob> job(String tenant, String id) {
        return database.selectOne(Query.query(where("tenant").is(tenant).and("id").is(id)), FineTuningJob.class);
    }

    Mono<FineTuningJob> job(String id) {
        return database.selectOne(Query.query(where("id").is(id)), FineTuningJob.class);
    }

    /** A page of the tenant's jobs, newest first, after the job {@code after} (OpenAI's cursor). */
    Flux<FineTuningJob> jobs(String tenant, Instant before, int limit) {
        Criteria criteria = where("tenant").is(tenant);
        if (before != null) {
            criteria = criteria.and("createdAt").lessThan(before);
        }
        return database.select(Query.query(criteria).sort(Sort.by(Sort.Direction.DESC, "createdAt", "id"))
                .limit(limit), FineTuningJob.class);
    }

    /** Jobs in these states, oldest first: what the worker runs, in order. */
    Flux<FineTuningJob> jobsIn(List<String> statuses) {
        return database.select(Query.query(where("status").in(statuses)).sort(Sort.by("createdAt", "id")),
                FineTuningJob.class);
    }

    /** The last job that succeeded on this service, any tenant: its throughput is this machine's. */
    Mono<FineTuningJob> lastSucceeded() {
        return database.select(Query.query(where("status").is(FineTuningJob.SUCCEEDED))
                .sort(Sort.by(Sort.Direction.DESC, "finishedAt")).limit(1), FineTuningJob.class).next();
    }

    /** Jobs waiting for the device: how far a new one is from running. */
    Mono<Long> queued() {
        return database.count(Query.query(where("status").in(FineTuningJob.QUEUED, FineTuningJob.RUNNING)),
                FineTuningJob.class);
    }

    /** Writes the progress columns only, so a concurrent cancel (a status change) is never overwritten. */
    Mono<Long> progress(FineTuningJob job) {
        return database.update(FineTuningJob.class).matching(Query.query(where("id").is(job.id())))
                .apply(org.springframework.data.relational.core.query.Update
                        .update("completedSteps", job.completedSteps())
                        .set("trainedTokens", job.trainedTokens())
                        .set("trainLoss", job.trainLoss())
                        .set("validationLoss", job.validationLoss()));
    }

    /** Writes the evaluation column only ({@link JobEvaluation} as JSON). */
    Mono<Long> evaluation(String id, String evaluation) {
        return database.update(FineTuningJob.class).matching(Query.query(where("id").is(id)))
                .apply(org.springframework.data.relational.core.query.Update.update("evaluation", evaluation));
    }

    /** Moves a job from one of {@code from} to {@code to}; 0 when it was in none of them (cancelled meanwhile). */
    Mono<Long> transition(String id, List<String> from, String to, Instant at) {
        var update = org.springframework.data.relational.core.query.Update.update("status", to);
        if (to.equals(FineTuningJob.RUNNING)) {
            update = update.set("startedAt", at);
        } else if (!to.equals(FineTuningJob.QUEUED)) {
            update = update.set("finishedAt", at);
        }
        return database.update(FineTuningJob.class).matching(Query.query(where("id").is(id).and("status").in(from)))
                .apply(update);
    }

    /** Ends a running job: succeeded with its model, or failed with the error, unless it was cancelled meanwhile. */
    Mono<Long> finish(String id, String status, String fineTunedModel, String error, Instant at) {
        return database.update(FineTuningJob.class).matching(Query.query(where("id").is(id)
                        .and("status").is(FineTuningJob.RUNNING)))
                .apply(org.springframework.data.relational.core.query.Update.update("status", status)
                        .set("fineTunedModel", fineTunedModel).set("error", error).set("finishedAt", at));
    }

    // ---- events and checkpoints ---------------------------------------------------------------------------------

    Mono<FineTuningEvent> event(String jobId, String level, String message, String type, String data) {
        Instant now = Instant.now();
        long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, now);
        long seq = lastSeq.updateAndGet(last -> Math.max(last + 1, micros));
        return database.insert(new FineTuningEvent(Ids.next("ftevent"), jobId, seq, now, level, message, type,
                data));
    }

    /** The job's events, newest first, after the event {@code after}. */
    Flux<FineTuningEvent> events(String jobId, Long beforeSeq, int limit) {
        Criteria criteria = where("jobId").is(jobId);
        if (beforeSeq != null) {
            criteria = criteria.and("seq").lessThan(beforeSeq);
        }
        return database.select(Query.query(criteria).sort(Sort.by(Sort.Direction.DESC, "seq")).limit(limit),
                FineTuningEvent.class);
    }

    Mono<FineTuningEvent> eventById(String jobId, String id) {
        return database.selectOne(Query.query(where("jobId").is(jobId).and("id").is(id)), FineTuningEvent.class);
    }

    Mono<FineTuningCheckpoint> insert(FineTuningCheckpoint checkpoint) {
        return database.insert(checkpoint);
    }

    /** The job's checkpoints, newest first. */
    Flux<FineTuningCheckpoint> checkpoints(String jobId) {
        return database.select(Query.query(where("jobId").is(jobId)).sort(Sort.by(Sort.Direction.DESC, "step")),
                FineTuningCheckpoint.class);
    }
}
