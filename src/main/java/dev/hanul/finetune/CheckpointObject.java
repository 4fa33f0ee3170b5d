package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * OpenAI's fine_tuning.job.checkpoint. {@code fine_tuned_model_checkpoint} names the checkpoint as
 * {@code <job>:ckpt-step-<n>}; its state file is on the server, for the job to resume from.
 */
record CheckpointObject(String id, String object, @JsonProperty("created_at") long createdAt,
                        @JsonProperty("fine_tuned_model_checkpoint") String fineTunedModelCheckpoint,
                        @JsonProperty("fine_tuning_job_id") String fineTuningJobId, Map<String, Object> metrics,
                        @JsonProperty("step_number") int stepNumber) {
}
