package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.chat.Citation;
import dev.hanul.engine.chat.ToolCallParser;
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

    /**
     * @param content   null when the message is only tool calls
     * @param toolCalls the function calls the model wrote; left out when there are none
     */
    public record Message(String role, String content,
                          @JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                          List<ChatToolCall> toolCalls) {
    }

    /**
     * @param citations null for plain chat
     * @param tools     the parser of the model's tool-call format when tools were offered, else null
     */
    static ChatCompletion of(String id, long created, String model, Samples samples, TokenText text,
            List<Citation> citations, ToolCallParser tools) {
        List<Choice> choices = samples.list().stream().map(sample -> {
            Message message = new Message("assistant", sample.text(), List.of());
            String finishReason = sample.finishReason();
            if (tools != null) {
                ToolCallParser.Parsed parsed = tools.parse(sample.text());
                if (!parsed.calls().isEmpty()) {
                    message = new Message("assistant", parsed.content().isEmpty() ? null : parsed.content(),
                            parsed.calls().stream().map(ChatToolCall::of).toList());
                    // As vLLM: a choice whose output held calls ends for them.
                    finishReason = "tool_calls";
                }
            }
            return new Choice(sample.index(), message,
                    sample.logprobs() == null ? null : ChatLogprobs.of(sample.logprobs(), text),
                    finishReason, sample.stopReason());
        }).toList();
        return new ChatCompletion(id, "chat.completion", created, model, choices, UsageInfo.of(samples.usage()),
                citations);
    }
}
