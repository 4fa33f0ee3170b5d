package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/chat/completions}: OpenAI's fields (tools and structured outputs included) plus vLLM's
 * sampling and structured-output extras, plus {@code rag} (this service's answers from documents, see
 * {@link RagTarget}). Fields this service does not know are ignored, as OpenAI SDKs send some; the deprecated
 * {@code functions} and {@code function_call} are refused with a 400 that says how to send them as tools.
 */
public record ChatCompletionRequest(
        String model,
        List<ChatRequestMessage> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        Integer n,
        JsonNode stop,
        @JsonProperty("stop_token_ids") List<Integer> stopTokenIds,
        Long seed,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        Boolean logprobs,
        @JsonProperty("top_logprobs") Integer topLogprobs,
        @JsonProperty("response_format") ResponseFormat responseFormat,
        String user,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("min_p") Double minP,
        @JsonProperty("repetition_penalty") Double repetitionPenalty,
        @JsonProperty("ignore_eos") Boolean ignoreEos,
        @JsonProperty("min_tokens") Integer minTokens,
        @JsonProperty("logit_bias") JsonNode logitBias,
        JsonNode tools,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        JsonNode functions,
        @JsonProperty("function_call") JsonNode functionCall,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("structured_outputs") JsonNode structuredOutputs,
        @JsonProperty("guided_json") JsonNode guidedJson,
        @JsonProperty("guided_regex") String guidedRegex,
        @JsonProperty("guided_choice") JsonNode guidedChoice,
        @JsonProperty("guided_grammar") String guidedGrammar,
        RagOptions rag) implements SamplingFields, StructuredOutputFields {

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }
}
