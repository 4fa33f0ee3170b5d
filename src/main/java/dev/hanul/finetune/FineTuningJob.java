package dev.hanul.finetune;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A fine-tuning job as stored.
 *
 * @param model           the base version that trains, {@code name@version}
 * @param hyperparameters the job's settings as JSON ({@link JobSettings})
 * @param estimate        tokens, examples and estimated minutes before it started, as JSON ({@link CostEstimate})
 * @param evaluation      the evaluation before and after training, as JSON ({@link JobEvaluation}); null for none
 */
@Table
record FineTuningJob(@Id String id, String tenant, String model, String trainingFile, String validationFile,
                     String suffix, String hyperparameters, long seed, String status, int totalSteps,
                     int completedSteps, long trainedTokens, Double trainLoss, Double validationLoss,
                     String fineTunedModel, String estimate, String error, String createdBy, Instant createdAt,
                     Instant startedAt, Instant finishedAt, String evaluation) {

    static final String VALIDATING = "validating_files";
    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";

    boolean finished() {
        return status.equals(SUCCEEDED) || status.equals(FAILED) || status.equals(CANCELLED);
    }

    FineTuningJob withStatus(String status, Instant at) {
        boolean ends = status.equals(SUCCEEDED) || status.equals(FAILED) || status.equals(CANCELLED);
        return new FineTuningJob(id, tenant, model, trainingFile, validationFile, suffix, hyperparameters, seed,
                status, totalSteps, completedSteps, trainedTokens, trainLoss, validationLoss, fineTunedModel,
                estimate, error, createdBy, createdAt,
                status.equals(RUNNING) && startedAt == null ? at : startedAt, ends ? at : finishedAt, evaluation);
    }

    FineTuningJob withProgress(int completedSteps, long trainedTokens, Double trainLoss, Double validationLoss) {
        return new FineTuningJob(id, tenant, model, trainingFile, validationFile, suffix, hyperparameters, seed,
                status, totalSteps, completedSteps, trainedTokens, trainLoss, validationLoss, fineTunedModel,
                estimate, error, createdBy, createdAt, startedAt, finishedAt, evaluation);
    }

    FineTuningJob succeeded(String fineTunedModel, Instant at) {
        return new FineTuningJob(id, tenant, model, trainingFile, validationFile, suffix, hyperparameters, seed,
                SUCCEEDED, totalSteps, completedSteps, trainedTokens, trainLoss, validationLoss, fineTunedModel,
                estimate, null, createdBy, createdAt, startedAt, at, evaluation);
    }

    FineTuningJob failed(String error, Instant at) {
        return new FineTuningJob(id, tenant, model, trainingFile, validationFile, suffix, hyperparameters, seed,
                FAILED, totalSteps, completedSteps, trainedTokens, trainLoss, validationLoss, fineTunedModel,
                estimate, error, createdBy, createdAt, startedAt, at, evaluation);
    }
}
