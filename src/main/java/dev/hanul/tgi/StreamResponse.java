package dev.hanul.tgi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One server-sent event of TGI's {@code POST /generate_stream}: one per generated token; the last one also carries
 * the whole text and how the generation ended.
 *
 * @param index         always 0: one sequence per request
 * @param topTokens     the token's most likely alternatives when top_n_tokens was asked; left out otherwise
 * @param generatedText null until the last event
 * @param details       null until the last event
 */
public record StreamResponse(
        int index,
        Token token,
        @JsonProperty("top_tokens") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Token> topTokens,
        @JsonProperty("generated_text") String generatedText,
        StreamDetails details) {

    /**
     * @param inputLength tokens of the input, after truncation
     */
    public record StreamDetails(
            @JsonProperty("finish_reason") String finishReason,
            @JsonProperty("generated_tokens") int generatedTokens,
            Long seed,
            @JsonProperty("input_length") int inputLength) {
    }
}
