package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of vLLM's {@code POST /tokenize}, in either of its shapes: a text ({@code prompt}), or a conversation
 * ({@code messages}, with {@code tools}) counted as the chat template renders it for /v1/chat/completions.
 *
 * @param addSpecialTokens the model's BOS first when it wants one (default true; for messages, as
 *                         /v1/chat/completions adds it, never twice when the template writes it)
 * @param addGenerationPrompt for messages: end where the assistant's turn begins (default true)
 * @param returnTokenStrs  also return each token's text as the vocabulary stores it
 */
public record TokenizeRequest(String model, String prompt, List<ChatRequestMessage> messages, JsonNode tools,
                              @JsonProperty("add_special_tokens") Boolean addSpecialTokens,
                              @JsonProperty("add_generation_prompt") Boolean addGenerationPrompt,
                              @JsonProperty("return_token_strs") Boolean returnTokenStrs) {
}
