package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/completions}: OpenAI's legacy text completion plus vLLM's sampling and
 * structured-output extras ({@code response_format}, {@code structured_outputs}, {@code guided_*}). Unknown fields are
 * ignored.
 *
 * @param prompt   a string, an array of one string, or an array of token ids
 * @param logprobs how many alternatives to report per token (0 to 5), besides the sampled token's log probability
 */
public record CompletionRequest(
        String model,
        JsonNode prompt,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("max_tokens") Integer maxTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        Integer n,
        JsonNode stop,
        @JsonProperty("stop_token_ids") List<Integer> stopTokenIds,
        Long seed,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        Integer logprobs,
        Boolean echo,
        String suffix,
        @JsonProperty("best_of") Integer bestOf,
        String user,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("min_p") Double minP,
        @JsonProperty("repetition_penalty") Double repetitionPenalty,
        @JsonProperty("ignore_eos") Boolean ignoreEos,
        @JsonProperty("min_tokens") Integer minTokens,
        @JsonProperty("logit_bias") JsonNode logitBias,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        @JsonProperty("structured_outputs") JsonNode structuredOutputs,
        @JsonProperty("guided_json") JsonNode guidedJson,
        @JsonProperty("guided_regex") String guidedRegex,
        @JsonProperty("guided_choice") JsonNode guidedChoice,
        @JsonProperty("guided_grammar") String guidedGrammar) implements SamplingFields, StructuredOutputFields {

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
