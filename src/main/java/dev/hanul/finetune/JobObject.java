package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's fine_tuning.job object, plus Hanul's {@code lora}, {@code estimate}, progress ({@code completed_steps},
 * {@code total_steps}, {@code train_loss}, {@code validation_loss}) and {@code evaluation} (before and after training;
 * null when the job was created without one).
 */
record JobObject(String id, String object, String model, @JsonProperty("created_at") long createdAt,
                 @JsonProperty("finished_at") Long finishedAt, @JsonProperty("fine_tuned_model") String fineTunedModel,
                 @JsonProperty("organization_id") String organizationId,
                 @JsonProperty("result_files") List<String> resultFiles, String status,
                 @JsonProperty("validation_file") String validationFile,
                 @JsonProperty("training_file") String trainingFile, Map<String, Object> hyperparameters,
                 @JsonProperty("trained_tokens") Long trainedTokens, Error error,
                 @JsonProperty("user_provided_suffix") String suffix, long seed,
                 @JsonProperty("estimated_finish") Long estimatedFinish, List<Object> integrations,
                 Map<String, Object> method, Map<String, Object> lora, CostEstimate estimate,
                 @JsonProperty("completed_steps") int completedSteps, @JsonProperty("total_steps") int totalSteps,
                 @JsonProperty("train_loss") Double trainLoss, @JsonProperty("validation_loss") Double validationLoss,
                 JobEvaluation evaluation) {

    record Error(String code, String message, String param) {
    }
}
