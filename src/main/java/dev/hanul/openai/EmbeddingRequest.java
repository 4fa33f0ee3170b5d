package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/embeddings}.
 *
 * @param input          a string or an array of strings (token-id arrays are refused)
 * @param encodingFormat {@code float} (the default) or {@code base64} (little-endian float32)
 * @param dimensions     accepted only as the model's own dimension: the model cannot shorten its vectors
 */
public record EmbeddingRequest(String model, JsonNode input,
                               @JsonProperty("encoding_format") String encodingFormat, Integer dimensions,
                               String user) {
}
