package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One message of a chat completion request.
 *
 * @param content    a string, or an array of {@code {"type": "text", "text": ...}} parts; may be null for an
 *                   assistant message that holds tool calls
 * @param toolCalls  an assistant's function calls: {@code [{id, type: "function", function: {name, arguments}}]}
 * @param toolCallId a tool message's answer to this call
 */
public record ChatRequestMessage(String role, JsonNode content, String name,
                                 @JsonProperty("tool_calls") JsonNode toolCalls,
                                 @JsonProperty("tool_call_id") String toolCallId) {
}
