package dev.hanul.finetune;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Fine-tuning settings ({@code hanul.finetune.}).
 *
 * @param checkpointEvery      steps between checkpoints (a job killed mid-way resumes from the last one)
 * @param keepCheckpoints      checkpoints kept per job on disk, newest first (the listed rows stay)
 * @param validationFraction   the share of the training file held out for validation when no validation file is given
 * @param maxValidationExamples the most validation examples scored at each checkpoint (their loss is a forward pass)
 * @param maxFileSize          the largest training file accepted
 * @param pauseWhileServing    pause training while any loaded model has requests running or waiting (serving keeps
 *                             the cores); off lets both share them
 * @param maxPause             the longest one pause lasts before a step runs anyway, so steady traffic slows a job
 *                             down rather than stopping it for good
 * @param idleBeforeResume     how long serving must have had no request before a paused job takes its next step: a
 *                             step cannot be interrupted, so one started in the gap between two requests would hold
 *                             the cores while the next one waits
 * @param estimatedTokensPerSecond training throughput assumed for the first job's estimate, before one was measured
 * @param defaultEpochs        n_epochs when the request says "auto" or nothing
 * @param defaultBatchSize     batch_size when the request says "auto" or nothing
 * @param baseLearningRate     the learning rate that learning_rate_multiplier scales
 * @param evaluationTimeout    the longest a job waits for one of its evaluation runs (they queue behind the other
 *                             evaluation runs); a run that takes longer is recorded as it stands and the job goes on
 */
@ConfigurationProperties("hanul.finetune")
public record FineTuneProperties(
        @DefaultValue("10") int checkpointEvery,
        @DefaultValue("3") int keepCheckpoints,
        @DefaultValue("0.1") double validationFraction,
        @DefaultValue("64") int maxValidationExamples,
        @DefaultValue("100MB") DataSize maxFileSize,
        @DefaultValue("true") boolean pauseWhileServing,
        @DefaultValue("30s") Duration maxPause,
        @DefaultValue("1s") Duration idleBeforeResume,
        @DefaultValue("200") double estimatedTokensPerSecond,
        @DefaultValue("3") int defaultEpochs,
        @DefaultValue("4") int defaultBatchSize,
        @DefaultValue("2e-4") double baseLearningRate,
        @DefaultValue("2h") Duration evaluationTimeout) {

    public FineTuneProperties {
        if (checkpointEvery < 1 || keepCheckpoints < 1 || maxValidationExamples < 1 || defaultEpochs < 1
                || defaultBatchSize < 1) {
            throw new IllegalArgumentException("hanul.finetune: checkpoint-every, keep-checkpoints, "
                    + "max-validation-examples, default-epochs and default-batch-size must be at least 1");
        }
        if (validationFraction < 0 || validationFraction >= 1) {
            throw new IllegalArgumentException("hanul.finetune.validation-fraction must be in [0, 1), got "
                    + validationFraction);
        }
        if (!(estimatedTokensPerSecond > 0) || !(baseLearningRate > 0)) {
            throw new IllegalArgumentException("hanul.finetune.estimated-tokens-per-second and base-learning-rate "
                    + "must be positive");
        }
    }
}
