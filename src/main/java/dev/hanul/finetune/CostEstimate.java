package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a job will cost before it starts: the tokens it runs forward and backward (every token of every training
 * example, once per epoch) and the minutes that take at the training throughput last measured on this machine (or
 * {@code hanul.finetune.estimated-tokens-per-second} before any job ran).
 *
 * @param trainTokensPerEpoch tokens of the training split with the base model's chat template
 * @param learnedTokens       of those, the assistant tokens the loss is on
 * @param tokensPerSecond     the throughput the minutes assume
 * @param measured            whether that throughput was measured by an earlier job here
 */
record CostEstimate(@JsonProperty("train_examples") int trainExamples,
                    @JsonProperty("validation_examples") int validationExamples,
                    @JsonProperty("train_tokens_per_epoch") long trainTokensPerEpoch,
                    @JsonProperty("learned_tokens_per_epoch") long learnedTokens,
                    @JsonProperty("validation_tokens") long validationTokens,
                    @JsonProperty("n_epochs") int epochs,
                    @JsonProperty("total_steps") int totalSteps,
                    @JsonProperty("billable_tokens") long billableTokens,
                    @JsonProperty("tokens_per_second") double tokensPerSecond,
                    @JsonProperty("throughput_measured") boolean measured,
                    @JsonProperty("estimated_minutes") double estimatedMinutes) {
}
