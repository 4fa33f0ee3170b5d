package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * vLLM's answer to {@code POST /tokenize}.
 *
 * @param maxModelLen the most tokens a request may hold, prompt and answer together
 * @param tokenStrs   the tokens' texts as the vocabulary stores them; null unless asked for
 */
public record TokenizeResponse(int count, @JsonProperty("max_model_len") int maxModelLen, int[] tokens,
                               @JsonProperty("token_strs") List<String> tokenStrs) {
}
