package dev.hanul.openai;

import dev.hanul.inference.ServedModel;
import org.springframework.stereotype.Component;

/**
 * How many tokens a request may use: its prompt plus max_tokens must fit the model's context window and the KV
 * cache, whichever is smaller. Checked before the request reaches the engine, so the 400 names the parameter at fault
 * with vLLM's wording.
 */
@Component
class TokenBudget {

    private final ServedModel served;

    TokenBudget(ServedModel served) {
        this.served = served;
    }

    /**
     * The max_tokens to run with: the requested one, or (when null) {@code fallback}, or when that is null too all
     * that the window leaves after the prompt (vLLM's default for chat).
     *
     * @param promptParam    the parameter that holds the prompt ("messages" or "prompt")
     * @param maxTokensParam the parameter that set max_tokens
     */
    int maxTokens(int promptTokens, String promptParam, Integer requested, String maxTokensParam, Integer fallback) {
        int context = served.model().model().config().contextLength();
        int window = Math.min(context, served.engine().kvCapacityTokens());
        if (promptTokens >= window) {
            throw OpenAiException.invalid(promptParam, ("This model's maximum context length is %d tokens%s. "
                    + "However, your request has %d input tokens. Please reduce the length of the input %s.")
                    .formatted(window, cacheNote(context, window), promptTokens, promptParam));
        }
        if (requested == null) {
            return fallback == null ? window - promptTokens : Math.min(fallback, window - promptTokens);
        }
        if (requested < 1 || requested > window) {
            throw OpenAiException.invalid(maxTokensParam, "%s must be between 1 and %d (the model's context "
                    .formatted(maxTokensParam, window) + "length%s), got %d.".formatted(cacheNote(context, window),
                    requested));
        }
        if (promptTokens + requested > window) {
            throw OpenAiException.invalid(maxTokensParam, ("'%s' is too large: %d. This model's maximum context "
                    + "length is %d tokens%s and your request has %d input tokens (%d > %d - %d).").formatted(
                    maxTokensParam, requested, window, cacheNote(context, window), promptTokens, requested, window,
                    promptTokens));
        }
        return requested;
    }

    /** Names the KV cache when it, not the model, is the limit, so the operator knows which setting to raise. */
    private static String cacheNote(int context, int window) {
        return window < context ? " (the KV cache, hanul.model.kv-cache, holds %d of its %d)".formatted(window,
                context) : "";
    }
}
