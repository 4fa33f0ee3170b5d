package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.TokenLogprob;
import java.util.List;

/** A chat choice's {@code logprobs}: per generated token its log probability and the top alternatives. */
public record ChatLogprobs(List<Entry> content) {

    public record Entry(String token, double logprob, List<Integer> bytes,
                        @JsonProperty("top_logprobs") List<Top> topLogprobs) {
    }

    public record Top(String token, double logprob, List<Integer> bytes) {
    }

    static ChatLogprobs of(List<Logprobs> tokens, TokenText text) {
        return new ChatLogprobs(tokens.stream().map(logprobs -> entry(logprobs, text)).toList());
    }

    private static Entry entry(Logprobs logprobs, TokenText text) {
        TokenLogprob sampled = logprobs.sampled();
        return new Entry(text.text(sampled.token()), TokenText.logprob(sampled), text.bytes(sampled.token()),
                logprobs.top().stream().map(top -> new Top(text.text(top.token()), TokenText.logprob(top),
                        text.bytes(top.token()))).toList());
    }
}
