package dev.hanul.openai;

/** vLLM's answer to {@code POST /detokenize}: the text of the tokens, special tokens written out. */
public record DetokenizeResponse(String prompt) {
}
