package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The job object's {@code estimated_finish}: the creation-time estimate first, then the pace the job keeps. */
class EstimatedFinishTest {

    private static final Instant STARTED = Instant.parse("2026-12-04T03:52:00Z");
    /** 108 steps guessed at 16 minutes (200 tokens/s, before any job here was measured). */
    private static final CostEstimate ESTIMATE = new CostEstimate(432, 48, 192_539, 2_874, 20_243, 1, 108, 192_539,
            200, false, 16.0);

    @Test
    void beforeTheFirstStepTheEstimateSaysWhen() {
        assertThat(FineTuningJobs.estimatedFinish(job(FineTuningJob.RUNNING, 0), ESTIMATE, STARTED.plusSeconds(60)))
                .isEqualTo(STARTED.plusSeconds(16 * 60));
    }

    @Test
    void onceStepsAreDoneThePaceSoFarSaysWhen() {
        // 12 of 108 steps in 6 minutes: the job ends 54 minutes after it started, not 16.
        assertThat(FineTuningJobs.estimatedFinish(job(FineTuningJob.RUNNING, 12), ESTIMATE, STARTED.plusSeconds(360)))
                .isEqualTo(STARTED.plusSeconds(54 * 60));
    }

    @Test
    void onlyARunningJobHasOne() {
        assertThat(FineTuningJobs.estimatedFinish(job(FineTuningJob.QUEUED, 0), ESTIMATE, STARTED)).isNull();
        assertThat(FineTuningJobs.estimatedFinish(job(FineTuningJob.SUCCEEDED, 108), ESTIMATE, STARTED)).isNull();
    }

    private static FineTuningJob job(String status, int completedSteps) {
        return new FineTuningJob("ftjob-1", "default", "model@1", "file-1", null, null, "{}", 42, status, 108,
                completedSteps, 0, null, null, null, null, null, "test", STARTED.minusSeconds(5), STARTED, null, null);
    }
}
