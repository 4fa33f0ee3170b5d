package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * The model version one request was routed to, and everything an API needs from it: the token window, prompt
 * encoding, the answer's budget, sampling parameters and generation. Every API goes through these methods, so each
 * rule (the window, the budget, the parameter ranges, the failures) exists once.
 */
public final class RoutedModel {

    private final ModelRouter.Route route;
    private final Generations generations;
    /** Whether the prompt went through the chat template: OpenTelemetry's operation name, chat or text_completion. */
    private volatile boolean chat;

    RoutedModel(ModelRouter.Route route, Generations generations) {
        this.route = route;
        this.generations = generations;
    }

    /** The name the request used, which responses echo (vLLM echoes the requested model). */
    public String name() {
        return route.requested();
    }

    /** The version that answers: {@code name@version}, for metrics, logs and records. */
    public String version() {
        return route.primary().id();
    }

    /** @throws IllegalStateException when the version is served by a remote server (it has no weights here) */
    public LoadedModel model() {
        return route.primary().model();
    }

    public Tokenizer tokenizer() {
        return route.primary().tokenizer();
    }

    /**
     * The most tokens a request may hold, prompt and answer together: the model's context, or less when the KV cache
     * holds less (a request that does not fit it could never run).
     */
    public int window() {
        return Math.min(route.primary().contextLength(), route.primary().kvCapacityTokens());
    }

    /** The most samples (n) one request may ask for: the sequences the engine runs at once. */
    public int maxSamples() {
        return route.primary().maxRunningSequences();
    }

    /** The most requests the version holds at once, running and queued (TGI's max_concurrent_requests). */
    public int maxConcurrentRequests() {
        return route.primary().maxRunningSequences() + route.primary().maxWaiting();
    }

    /** The conversation in the model's chat template, ending where the assistant's turn begins. */
    public int[] encodeChat(List<ChatMessage> conversation) {
        int[] tokens = tokenizer().encodePrompt(chatText(conversation));
        chat = true;
        return tokens;
    }

    /** The text {@link #encodeChat} encodes: what the model reads, special tokens written out. */
    public String chatText(List<ChatMessage> conversation) {
        try {
            return route.primary().chatTemplate().render(conversation, true);
        } catch (IllegalArgumentException e) {
            throw new InferenceFailure.Rejected(Parameter.MESSAGES, names -> e.getMessage());
        }
    }

    /** Raw text, with the model's BOS when it uses one. */
    public int[] encodeText(String text) {
        return tokenizer().encodePrompt(text);
    }

    /**
     * The answer's limit: the requested one, or (when null) {@code fallback}, or when that is null too all that the
     * window leaves after the prompt (vLLM's default for chat).
     *
     * @param prompt the parameter that holds the prompt (messages or prompt), for the refusal's wording
     */
    public int maxTokens(int promptTokens, Parameter prompt, Integer requested, Integer fallback) {
        int context = route.primary().contextLength();
        int window = window();
        if (promptTokens >= window) {
            throw new InferenceFailure.Rejected(prompt, names -> ("This model's maximum context length is %d tokens%s. "
                    + "However, your request has %d input tokens. Please reduce the length of the input %s.")
                    .formatted(window, cacheNote(context, window), promptTokens, names.of(prompt)));
        }
        if (requested == null) {
            return fallback == null ? window - promptTokens : Math.min(fallback, window - promptTokens);
        }
        if (requested < 1 || requested > window) {
            throw new InferenceFailure.Rejected(Parameter.MAX_TOKENS, names -> ("%s must be between 1 and %d (the "
                    + "model's context length%s), got %d.").formatted(names.of(Parameter.MAX_TOKENS), window,
                    cacheNote(context, window), requested));
        }
        if (promptTokens + requested > window) {
            throw new InferenceFailure.Rejected(Parameter.MAX_TOKENS, names -> ("'%s' is too large: %d. This model's "
                    + "maximum context length is %d tokens%s and your request has %d input tokens (%d > %d - %d).")
                    .formatted(names.of(Parameter.MAX_TOKENS), requested, window, cacheNote(context, window),
                            promptTokens, requested, window, promptTokens));
        }
        return requested;
    }

    /** Names the KV cache when it, not the model, is the limit, so the operator knows which setting to raise. */
    private static String cacheNote(int context, int window) {
        return window < context ? " (the KV cache, hanul.model.kv-cache, holds %d of its %d)".formatted(window,
                context) : "";
    }

    /** The engine's parameters for {@code options}, checked; {@code maxTokens} comes from {@link #maxTokens}. */
    public SamplingParams sampling(SamplingOptions options, int maxTokens) {
        return SamplingRules.params(options, maxTokens, maxSamples(), tokenizer().vocabularySize());
    }

    /**
     * Runs the request on the routed version (and a copy on the shadow, if the route has one). Refusals come at
     * once, as exceptions; what happens later comes as an error signal. Events follow the subscriber's demand, and
     * cancelling the subscription cancels the generation.
     *
     * @throws InferenceFailure when the request is not accepted
     */
    public Flux<GenerationEvent> generate(GenerationRequest request) {
        return UsageMeter.metered(generations.run(route, request, chat ? "chat" : "text_completion"));
    }
}
