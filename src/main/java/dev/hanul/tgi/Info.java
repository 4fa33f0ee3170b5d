package dev.hanul.tgi;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * TGI's {@code GET /info}: which model is served and the limits a client must respect. The fields Hanul has a value for,
 * named as TGI names them.
 *
 * @param maxConcurrentRequests requests running or queued before new ones are refused with 429
 * @param maxBestOf             always 1
 * @param maxInputTokens        the longest input, in tokens
 * @param maxTotalTokens        input plus max_new_tokens may not exceed this
 * @param router                the server answering: "hanul" rather than text-generation-router
 */
public record Info(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("model_sha") String modelSha,
        @JsonProperty("model_pipeline_tag") String modelPipelineTag,
        @JsonProperty("max_concurrent_requests") int maxConcurrentRequests,
        @JsonProperty("max_best_of") int maxBestOf,
        @JsonProperty("max_stop_sequences") int maxStopSequences,
        @JsonProperty("max_input_tokens") int maxInputTokens,
        @JsonProperty("max_total_tokens") int maxTotalTokens,
        String router,
        String version,
        String sha,
        @JsonProperty("docker_label") String dockerLabel) {
}
