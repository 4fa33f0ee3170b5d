package dev.hanul.langchain4j;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.Usage;
import dev.hanul.inference.Inference;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.inference.SamplingOptions;
import dev.hanul.monitoring.InteractionNote;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;

/**
 * A LangChain4j chat request as a generation through the inference façade, and its end as LangChain4j's response;
 * shared by the blocking and the streaming model. Requests are routed, templated, budgeted, metered and logged
 * (api {@code langchain4j.chat}) as the HTTP APIs' are.
 */
final class LangChain4jChats {

    private final Inference inference;
    private final ChatRequestParameters defaults;
    private final String tenant;

    LangChain4jChats(Inference inference, ChatRequestParameters defaults, String tenant) {
        this.inference = inference;
        this.defaults = defaults;
        this.tenant = tenant;
    }

    ChatRequestParameters defaults() {
        return defaults;
    }

    /** The request accepted by the façade, its events not yet subscribed to. */
    Started start(ChatRequest request) {
        ChatRequestParameters parameters = request.parameters() == null ? defaults
                : request.parameters().defaultedBy(defaults);
        if (parameters.toolSpecifications() != null && !parameters.toolSpecifications().isEmpty()) {
            throw new IllegalArgumentException("Hanul's models do not call tools; leave the tool specifications out "
                    + "(offered: " + parameters.toolSpecifications().size() + ").");
        }
        List<dev.hanul.engine.chat.ChatMessage> conversation = conversation(request.messages());
        RoutedModel model = inference.route(parameters.modelName(), null);
        int[] tokens = model.encodeChat(conversation);
        int maxTokens = model.maxTokens(tokens.length, Parameter.MESSAGES, parameters.maxOutputTokens(), null);
        var sampling = new SamplingOptions(parameters.temperature(), parameters.topP(), parameters.topK(), null, 1,
                null, parameters.stopSequences() == null || parameters.stopSequences().isEmpty() ? null
                : parameters.stopSequences(), null, parameters.presencePenalty(), parameters.frequencyPenalty(),
                null, null, null, false);
        String id = "langchain4j-" + UUID.randomUUID();
        String question = conversation.reversed().stream().filter(m -> m.role().equals("user"))
                .map(dev.hanul.engine.chat.ChatMessage::content).findFirst().orElse(null);
        var note = InteractionNote.of("langchain4j.chat", tenant, question);
        return new Started(id, model.version(), model.generate(new GenerationRequest(id, tokens,
                model.sampling(sampling, maxTokens))).contextWrite(note::addTo));
    }

    private static List<dev.hanul.engine.chat.ChatMessage> conversation(List<ChatMessage> messages) {
        var conversation = new ArrayList<dev.hanul.engine.chat.ChatMessage>(messages.size());
        for (ChatMessage message : messages) {
            conversation.add(switch (message) {
                case SystemMessage system -> dev.hanul.engine.chat.ChatMessage.system(system.text());
                case UserMessage user when user.hasSingleText() ->
                        dev.hanul.engine.chat.ChatMessage.user(user.singleText());
                case UserMessage user -> throw new IllegalArgumentException("Hanul's models read text; a user "
                        + "message with " + user.contents().size() + " parts (images, audio, …) cannot be served.");
                case AiMessage ai when !ai.hasToolExecutionRequests() ->
                        dev.hanul.engine.chat.ChatMessage.assistant(ai.text());
                default -> throw new IllegalArgumentException("Hanul's models do not call tools; a " + message.type()
                        + " message cannot be served.");
            });
        }
        if (conversation.isEmpty()) {
            throw new IllegalArgumentException("The request has no messages; give at least one user message.");
        }
        return conversation;
    }

    static ChatResponse response(Started started, String text, GenerationEvent.Finished end) {
        Usage usage = end.usage();
        return ChatResponse.builder().aiMessage(AiMessage.from(text)).metadata(ChatResponseMetadata.builder()
                .id(started.id()).modelName(started.model())
                .tokenUsage(new TokenUsage(usage.promptTokens(), usage.completionTokens()))
                .finishReason(switch (end.reason()) {
                    case STOP -> FinishReason.STOP;
                    case LENGTH -> FinishReason.LENGTH;
                    case CANCELLED, ERROR -> FinishReason.OTHER;
                }).build()).build();
    }

    record Started(String id, String model, Flux<GenerationEvent> events) {
    }
}
