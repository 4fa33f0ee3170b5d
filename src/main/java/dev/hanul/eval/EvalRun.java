package dev.hanul.eval;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A dataset evaluated under one configuration ({@link RunConfig} as JSON), with its progress. */
@Table
record EvalRun(@Id String id, String datasetId, String name, String config, String status, int total, int done,
               String error, String createdBy, Instant createdAt, Instant finishedAt) {

    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String FINISHED = "finished";
    static final String FAILED = "failed";

    EvalRun progressed(int done) {
        return new EvalRun(id, datasetId, name, config, RUNNING, total, done, null, createdBy, createdAt, null);
    }

    EvalRun ended(String status, String error) {
        return new EvalRun(id, datasetId, name, config, status, total, done, error, createdBy, createdAt,
                Instant.now());
    }
}
