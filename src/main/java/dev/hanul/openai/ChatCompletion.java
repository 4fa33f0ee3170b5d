package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.chat.Citation;
import java.util.List;

/**
 * The body of a non-streaming chat completion ({@code object: chat.completion}).
 *
 * @param citations a RAG answer's sources, as {@code POST /api/chat} reports them; absent for plain chat (an extra
 *                  field, which OpenAI SDKs ignore)
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             UsageInfo usage, @JsonInclude(JsonInclude.Include.NON_NULL) List<Citation> citations) {

    /**
     * @param logprobs   null unless the request asked for them
     * @param stopReason vLLM's extra: the stop string (a String) or stop token id (an Integer) that ended the choice
     */
    public record Choice(int index, Message message, ChatLogprobs logprobs,
                         @JsonProperty("finish_reason") String finishReason,
                         @JsonProperty("stop_reason") Object stopReason) {
    }

    public record Message(String role, String content) {
    }

    /** @param citations null for plain chat */
    static ChatCompletion of(String id, long created, String model, Samples samples, TokenText text,
            List<Citation> citations) {
        List<Choice> choices = samples.list().stream().map(sample -> new Choice(sample.index(),
                new Message("assistant", sample.text()),
                sample.logprobs() == null ? null : ChatLogprobs.of(sample.logprobs(), text),
                sample.finishReason(), sample.stopReason())).toList();
        return new ChatCompletion(id, "chat.completion", created, model, choices, UsageInfo.of(samples.usage()),
                citations);
    }
}
