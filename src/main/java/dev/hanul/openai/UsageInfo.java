package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.hanul.engine.Usage;

/** {@code usage}: tokens of the prompt, generated over all choices, and both. */
public record UsageInfo(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {

    static UsageInfo of(Usage usage) {
        return new UsageInfo(usage.promptTokens(), usage.completionTokens(),
                usage.promptTokens() + usage.completionTokens());
    }
}
