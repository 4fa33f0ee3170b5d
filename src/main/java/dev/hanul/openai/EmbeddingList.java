package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code POST /v1/embeddings}: one embedding per input, in order. */
public record EmbeddingList(String object, List<Embedding> data, String model, Usage usage) {

    /** @param embedding a float array, or its little-endian float32 bytes in base64 */
    public record Embedding(String object, int index, Object embedding) {
    }

    /** Word pieces of the inputs, [CLS] and [SEP] included. */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
    }
}
