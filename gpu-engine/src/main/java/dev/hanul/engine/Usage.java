package dev.hanul.engine;

/**
 * Tokens a request used.
 *
 * @param promptTokens       tokens of the prompt
 * @param completionTokens   tokens generated, over all samples, stop tokens included
 * @param cachedPromptTokens prompt tokens whose keys and values came from the prefix cache instead of being computed
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {
}
