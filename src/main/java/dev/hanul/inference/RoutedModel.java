package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.chat.ChatPrompt;
import dev.hanul.engine.chat.ToolCallFormat;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * The model version one request was routed to, and everything an API needs from it: the token window, prompt
 * encoding, the answer's budget, sampling parameters and generation. Every API goes through these methods, so each
 * rule (the window, the budget, the parameter ranges, the failures) exists once.
 */
public final class RoutedModel {

    private final ModelRouter.Route route;
    private final Generations generations;
    private final Grammars grammars;
    /** Whether the prompt went through the chat template: OpenTelemetry's operation name, chat or text_completion. */
    private volatile boolean chat;

    RoutedModel(ModelRouter.Route route, Generations generations, Grammars grammars) {
        this.route = route;
        this.generations = generations;
        this.grammars = grammars;
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

    /**
     * The conversation in the model's chat template, ending where the assistant's turn begins. Control tokens come
     * only from the template: what the messages say is tokenized as text, whatever markers it spells
     * ({@link ChatPrompt}).
     */
    public int[] encodeChat(List<ChatMessage> conversation) {
        int[] tokens;
        try {
            tokens = ChatPrompt.encode(route.primary().chatTemplate(), tokenizer(), conversation, true).tokens();
        } catch (IllegalArgumentException e) {
            throw new InferenceFailure.Rejected(Parameter.MESSAGES, names -> e.getMessage());
        }
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

    /**
     * A conversation with tools in the model's chat template, ending where the assistant's turn begins:
     * {@code messages} in OpenAI's shape as maps (see {@link dev.hanul.engine.chat.ChatTemplate#render(List, boolean,
     * List)}); the tools are shown to the model unless the choice is none.
     */
    public int[] encodeChat(List<Map<String, Object>> messages, ChatTools tools) {
        int[] tokens = tokenizer().encodePrompt(chatText(messages, tools));
        chat = true;
        return tokens;
    }

    /** The text {@link #encodeChat(List, ChatTools)} encodes. */
    public String chatText(List<Map<String, Object>> messages, ChatTools tools) {
        return chatText(messages, tools, true);
    }

    /** The same, or without the assistant's opening when {@code addGenerationPrompt} is false. */
    public String chatText(List<Map<String, Object>> messages, ChatTools tools, boolean addGenerationPrompt) {
        try {
            return route.primary().chatTemplate().render(messages, addGenerationPrompt,
                    tools == null ? null : tools.templateTools());
        } catch (IllegalArgumentException e) {
            throw new InferenceFailure.Rejected(Parameter.MESSAGES, names -> e.getMessage());
        }
    }

    /** How this model writes function calls, read from its chat template: what its output is parsed with. */
    public ToolCallFormat toolCallFormat() {
        return ToolCallFormat.of(route.primary().chatTemplate().template());
    }

    /**
     * The parameters with the output held to {@code constraint} by constrained decoding; unchanged when it is null.
     *
     * @throws InferenceFailure.Rejected naming the constraint's parameter when it cannot be enforced
     */
    public SamplingParams constrain(SamplingParams params, OutputConstraint constraint) {
        return constraint == null ? params
                : params.toBuilder().constraint(grammars.of(tokenizer(), constraint)).build();
    }

    /**
     * The parameters with the output held to a valid call when the tool choice requires one (required, or a named
     * function); unchanged when the model decides.
     */
    public SamplingParams constrain(SamplingParams params, ChatTools tools) {
        return tools == null || !tools.offered() ? params : constrain(params, tools.constraint(toolCallFormat()));
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

    /**
     * {@link #generate(GenerationRequest)} through the guardrails ({@link GenerationGuard}), with what the API knows
     * about the request written into the stream's context (its tenant and question, for the guardrails and the
     * interaction log). Every API generates through this method, so the guardrails apply in one place.
     *
     * @param context adds the API's entries, such as {@code note::addTo}
     * @throws InferenceFailure.Blocked when a guardrail refuses the request
     * @throws InferenceFailure.Overloaded at once, before the guardrails run, when the version's queue is full
     */
    public Flux<GenerationEvent> generate(GenerationRequest request, UnaryOperator<Context> context) {
        generations.requireRoom(route);
        Context written = context.apply(Context.empty());
        GenerationGuard guard = generations.guard();
        if (guard == null) {
            return generate(request).contextWrite(written);
        }
        GenerationGuard.Guarded guarded = guard.check(request, this, written);
        return guarded.events().apply(generate(guarded.request())).contextWrite(guarded.context());
    }
}
