package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One message of a chat completion request.
 *
 * @param content   a string, or an array of {@code {"type": "text", "text": ...}} parts
 * @param toolCalls refused: this service does not call tools
 */
public record ChatRequestMessage(String role, JsonNode content, String name,
                                 @JsonProperty("tool_calls") JsonNode toolCalls) {
}
