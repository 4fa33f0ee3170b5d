package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of a text completion ({@code object: text_completion}), and each server-sent event of a streaming one
 * (whose last event, when usage was asked for, has no choices and the usage).
 */
public record Completion(String id, String object, long created, String model, List<Choice> choices,
                         @JsonInclude(JsonInclude.Include.NON_NULL) UsageInfo usage) {

    /**
     * @param stopReason vLLM's extra, on the choice's last chunk: the stop string (a String) or stop token id (an
     *                   Integer) that ended it; null otherwise
     */
    public record Choice(int index, String text, CompletionLogprobs logprobs,
                         @JsonProperty("finish_reason") String finishReason,
                         @JsonProperty("stop_reason") Object stopReason) {
    }

    static Completion of(String id, long created, String model, List<Choice> choices, UsageInfo usage) {
        return new Completion(id, "text_completion", created, model, choices, usage);
    }

    static Completion of(String id, long created, String model, Samples samples, TokenText text) {
        List<Choice> choices = samples.list().stream().map(sample -> new Choice(sample.index(), sample.text(),
                sample.logprobs() == null ? null : CompletionLogprobs.of(sample.logprobs(), sample.offsets(), text),
                sample.finishReason(), sample.stopReason())).toList();
        return of(id, created, model, choices, UsageInfo.of(samples.usage()));
    }
}
