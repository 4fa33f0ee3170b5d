package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.chat.Citation;
import java.util.List;

/**
 * One server-sent event of a streaming chat completion ({@code object: chat.completion.chunk}). {@code usage} appears
 * only on the last chunk, with no choices, when {@code stream_options.include_usage} asked for it. {@code citations}
 * (a RAG answer's sources, an extra field) appears only on the chunks that carry a finish reason.
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) UsageInfo usage,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) List<Citation> citations) {

    /**
     * @param finishReason null until the choice's last chunk
     * @param stopReason   vLLM's extra, on the last chunk: the stop string (a String) or stop token id (an Integer)
     *                     that ended the choice; null otherwise
     */
    public record Choice(int index, Delta delta, ChatLogprobs logprobs,
                         @JsonProperty("finish_reason") String finishReason,
                         @JsonProperty("stop_reason") Object stopReason) {
    }

    /** What the chunk adds to the message: the role on the first chunk, then text or tool calls. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, @JsonProperty("tool_calls") List<ToolCallDelta> toolCalls) {

        Delta(String role, String content) {
            this(role, content, null);
        }
    }

    /**
     * A piece of a function call, as OpenAI streams it: the first piece of a call has its id, type and name (and empty
     * arguments), later pieces only add to the arguments' text; {@code index} tells the calls of a choice apart.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolCallDelta(int index, String id, String type, FunctionDelta function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FunctionDelta(String name, String arguments) {
    }
}
