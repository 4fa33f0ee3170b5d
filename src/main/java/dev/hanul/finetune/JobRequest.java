package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/fine_tuning/jobs}: OpenAI's request, with the LoRA adapter's shape under {@code lora} and the
 * evaluation before and after training under {@code evaluation} (Hanul's additions). OpenAI's {@code method:
 * {"type": "supervised", "supervised": {"hyperparameters": ...}}} is accepted as well as the older top-level
 * {@code hyperparameters}. Values may be "auto".
 */
record JobRequest(String model, @JsonProperty("training_file") String trainingFile,
                  @JsonProperty("validation_file") String validationFile, Hyperparameters hyperparameters,
                  String suffix, Long seed, Lora lora, Method method, Map<String, String> metadata,
                  Evaluation evaluation) {

    /**
     * @param dataset   {@code "validation"}: the job's held-out examples (the validation file, or the share held out
     *                  of the training file), each answered from its conversation; or the id of an evaluation
     *                  dataset ({@code POST /api/eval/datasets}), questions answered over the tenant's documents
     * @param maxTokens the answers' limit (default 64)
     */
    record Evaluation(String dataset, @JsonProperty("max_tokens") Integer maxTokens) {
    }

    record Hyperparameters(@JsonProperty("n_epochs") Object epochs, @JsonProperty("batch_size") Object batchSize,
                           @JsonProperty("learning_rate_multiplier") Object learningRateMultiplier) {
    }

    /**
     * @param targetModules PEFT's names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
     */
    record Lora(Integer rank, Double alpha, Double dropout,
                @JsonProperty("target_modules") List<String> targetModules) {
    }

    record Method(String type, Supervised supervised) {
    }

    record Supervised(Hyperparameters hyperparameters) {
    }

    /** The hyper-parameters wherever the request put them. */
    Hyperparameters effectiveHyperparameters() {
        if (hyperparameters != null) {
            return hyperparameters;
        }
        return method != null && method.supervised() != null ? method.supervised().hyperparameters() : null;
    }
}
