package dev.hanul.springai;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.Usage;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.Inference;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.inference.SamplingOptions;
import dev.hanul.monitoring.InteractionNote;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;

/**
 * Hanul's models as a Spring AI {@link ChatModel} (blocking and streaming), through the inference façade: a request
 * is routed by the registry (aliases, canary splits, shadows), tokenized with the model's own chat template, budgeted
 * against its window, and counted by the same metrics and interaction log as the HTTP APIs (api
 * {@code spring-ai.chat}). Failures are the façade's typed {@link dev.hanul.inference.InferenceFailure}s, thrown by
 * {@link #call} and signalled by {@link #stream}.
 *
 * <p>The options' {@code model} picks the alias or {@code name@version}; temperature, top-p, top-k, max tokens, stop
 * sequences and the presence and frequency penalties map to the engine's sampling. Hanul's models do not call tools,
 * so a prompt that offers tool callbacks is refused rather than answered as if there were none.
 */
public final class HanulChatModel implements ChatModel {

    private final Inference inference;
    private final ChatOptions defaults;
    private final String tenant;

    /**
     * @param defaults what a prompt's options leave out (its model null for the default alias)
     * @param tenant   the tenant the interactions are logged under
     */
    public HanulChatModel(Inference inference, ChatOptions defaults, String tenant) {
        this.inference = inference;
        this.defaults = defaults;
        this.tenant = tenant;
    }

    @Override
    public ChatOptions getDefaultOptions() {
        return defaults.mutate().build();
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        Started started = start(prompt);
        var text = new StringBuilder();
        var end = new GenerationEvent.Finished[1];
        started.events().doOnNext(event -> {
            switch (event) {
                case GenerationEvent.Token token -> text.append(token.text());
                case GenerationEvent.Finished finished -> {
                    text.append(finished.text());
                    end[0] = finished;
                }
            }
        }).blockLast();
        return response(started, text.toString(), end[0]);
    }

    @Override
    public Flux<ChatResponse> stream(Prompt prompt) {
        return Flux.defer(() -> {
            Started started = start(prompt);
            return started.events().concatMap(event -> switch (event) {
                case GenerationEvent.Token token -> token.text().isEmpty() ? Flux.<ChatResponse>empty()
                        : Flux.just(response(started, token.text(), null));
                case GenerationEvent.Finished finished -> Flux.just(response(started, finished.text(), finished));
            });
        });
    }

    /** The request as the engine takes it, accepted by the façade; its events not yet subscribed to. */
    private Started start(Prompt prompt) {
        ChatOptions options = prompt.getOptions();
        if (options instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null
                && !tools.getToolCallbacks().isEmpty()) {
            throw new IllegalArgumentException("Hanul's models do not call tools; leave the tool callbacks out of "
                    + "the prompt's options (offered: " + tools.getToolCallbacks().size() + ").");
        }
        List<ChatMessage> conversation = conversation(prompt.getInstructions());
        RoutedModel model = inference.route(pick(options, ChatOptions::getModel), null);
        int[] tokens = model.encodeChat(conversation);
        int maxTokens = model.maxTokens(tokens.length, Parameter.MESSAGES, pick(options, ChatOptions::getMaxTokens),
                null);
        var sampling = new SamplingOptions(pick(options, ChatOptions::getTemperature),
                pick(options, ChatOptions::getTopP), pick(options, ChatOptions::getTopK), null, 1, null,
                pick(options, ChatOptions::getStopSequences), null, pick(options, ChatOptions::getPresencePenalty),
                pick(options, ChatOptions::getFrequencyPenalty), null, null, null, false);
        String id = "spring-ai-" + UUID.randomUUID();
        var note = InteractionNote.of("spring-ai.chat", tenant, lastUserText(conversation));
        return new Started(id, model.version(), model.generate(new GenerationRequest(id, tokens,
                model.sampling(sampling, maxTokens))).contextWrite(note::addTo));
    }

    private <T> T pick(ChatOptions options, java.util.function.Function<ChatOptions, T> option) {
        T value = options == null ? null : option.apply(options);
        return value != null ? value : option.apply(defaults);
    }

    private static List<ChatMessage> conversation(List<Message> messages) {
        var conversation = new ArrayList<ChatMessage>(messages.size());
        for (Message message : messages) {
            conversation.add(switch (message.getMessageType()) {
                case SYSTEM -> ChatMessage.system(message.getText());
                case USER -> ChatMessage.user(message.getText());
                case ASSISTANT -> ChatMessage.assistant(message.getText());
                case TOOL -> throw new IllegalArgumentException("Hanul's models do not call tools, so a prompt "
                        + "cannot hold tool responses; leave them out.");
            });
        }
        if (conversation.isEmpty()) {
            throw new IllegalArgumentException("The prompt has no messages; give at least one user message.");
        }
        return conversation;
    }

    private static String lastUserText(List<ChatMessage> conversation) {
        return conversation.reversed().stream().filter(m -> m.role().equals("user")).map(ChatMessage::content)
                .findFirst().orElse(null);
    }

    /** One response: the whole answer, or one streamed piece; {@code end} null until the answer has ended. */
    private static ChatResponse response(Started started, String text, GenerationEvent.Finished end) {
        var metadata = ChatResponseMetadata.builder().id(started.id()).model(started.model());
        var generation = ChatGenerationMetadata.builder();
        if (end != null) {
            Usage usage = end.usage();
            metadata.usage(new DefaultUsage(usage.promptTokens(), usage.completionTokens(),
                    usage.promptTokens() + usage.completionTokens(), usage));
            generation.finishReason(finishReason(end.reason()));
        }
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text), generation.build())),
                metadata.build());
    }

    /** OpenAI's names, which Spring AI's other models report too. */
    private static String finishReason(FinishReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private record Started(String id, String model, Flux<GenerationEvent> events) {
    }
}
