package dev.hanul.openai;

import java.util.List;

/** The body of vLLM's {@code POST /detokenize}: token ids to turn back into text. */
public record DetokenizeRequest(String model, List<Integer> tokens) {
}
