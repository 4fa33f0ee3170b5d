package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.TokenLogprob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text completion choice's {@code logprobs}, in the legacy layout: parallel lists of the generated tokens, their log
 * probabilities, the top alternatives (token text to log probability) and where each token starts in the text.
 */
public record CompletionLogprobs(List<String> tokens,
                                 @JsonProperty("token_logprobs") List<Double> tokenLogprobs,
                                 @JsonProperty("top_logprobs") List<Map<String, Double>> topLogprobs,
                                 @JsonProperty("text_offset") List<Integer> textOffset) {

    /** @param offsets where each token starts in the choice's text (characters, from {@code firstOffset}) */
    static CompletionLogprobs of(List<Logprobs> logprobs, List<Integer> offsets, TokenText text) {
        var tokens = new ArrayList<String>(logprobs.size());
        var tokenLogprobs = new ArrayList<Double>(logprobs.size());
        var top = new ArrayList<Map<String, Double>>(logprobs.size());
        for (Logprobs token : logprobs) {
            tokens.add(text.text(token.sampled().token()));
            tokenLogprobs.add(TokenText.logprob(token.sampled()));
            var alternatives = new LinkedHashMap<String, Double>();
            for (TokenLogprob alternative : token.top()) {
                alternatives.putIfAbsent(text.text(alternative.token()), TokenText.logprob(alternative));
            }
            top.add(alternatives);
        }
        return new CompletionLogprobs(tokens, tokenLogprobs, top, List.copyOf(offsets));
    }
}
