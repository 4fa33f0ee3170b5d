package dev.hanul.tgi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of TGI's {@code POST /generate}: the text, and with {@code details} how it ended and its tokens.
 */
public record GenerateResponse(
        @JsonProperty("generated_text") String generatedText,
        @JsonInclude(JsonInclude.Include.NON_NULL) Details details) {

    /**
     * @param finishReason    length, eos_token or stop_sequence
     * @param generatedTokens tokens generated, the end-of-sequence token included
     * @param seed            the sampler's seed; null for greedy decoding
     * @param prefill         the prompt's tokens with log probabilities: always empty (decoder_input_details is not
     *                        supported)
     * @param topTokens       per generated token, the top_n_tokens most likely alternatives; left out when not asked
     */
    public record Details(
            @JsonProperty("finish_reason") String finishReason,
            @JsonProperty("generated_tokens") int generatedTokens,
            Long seed,
            List<Token> prefill,
            List<Token> tokens,
            @JsonProperty("top_tokens") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<Token>> topTokens) {
    }
}
