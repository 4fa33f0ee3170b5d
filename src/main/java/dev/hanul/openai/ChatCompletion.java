package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of a non-streaming chat completion ({@code object: chat.completion}). */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             UsageInfo usage) {

    /** @param logprobs null unless the request asked for them */
    public record Choice(int index, Message message, ChatLogprobs logprobs,
                         @JsonProperty("finish_reason") String finishReason) {
    }

    public record Message(String role, String content) {
    }

    static ChatCompletion of(String id, long created, String model, Samples samples, TokenText text) {
        List<Choice> choices = samples.list().stream().map(sample -> new Choice(sample.index(),
                new Message("assistant", sample.text()),
                sample.logprobs() == null ? null : ChatLogprobs.of(sample.logprobs(), text),
                sample.finishReason())).toList();
        return new ChatCompletion(id, "chat.completion", created, model, choices, UsageInfo.of(samples.usage()));
    }
}
