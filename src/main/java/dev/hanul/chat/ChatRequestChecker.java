package dev.hanul.chat;

import dev.hanul.api.JsonFilters;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import dev.hanul.retrieval.SearchMode;
import dev.hanul.retrieval.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Turns a {@link ChatRequest} into a {@link ChatInput}, or a 400 that names the field and how to fix it. Public so
 * that other APIs offering RAG (the OpenAI-compatible one) check their requests by the same rules.
 */
@Component
public class ChatRequestChecker {

    private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final ChatProperties properties;
    private final PromptTemplates templates;

    ChatRequestChecker(ChatProperties properties, PromptTemplates templates) {
        this.properties = properties;
        this.templates = templates;
    }

    public ChatInput check(String tenant, ChatRequest request) {
        List<ChatMessage> messages = messages(request.messages());
        ChatMessage last = messages.getLast();
        if (!last.role().equals("user")) {
            throw badRequest("messages: the last message must be the user's question, but it is from '" + last.role()
                    + "'; end the list with a user message.");
        }
        if (last.content().isBlank()) {
            throw badRequest("messages[" + (messages.size() - 1) + "].content is empty; send the question.");
        }
        List<ChatMessage> system = messages.stream().filter(m -> m.role().equals("system")).toList();
        List<ChatMessage> earlier = messages.subList(0, messages.size() - 1).stream()
                .filter(m -> !m.role().equals("system")).toList();
        String question = last.content().strip();
        ChatRequest.Template template = request.template();
        PromptTemplate prompt = find(template == null || template.name() == null ? PromptTemplates.DEFAULT_NAME
                : template.name(), template == null ? null : template.version());
        ChatRequest.Sampling sampling = request.sampling() != null ? request.sampling()
                : new ChatRequest.Sampling(null, null, null, null, null, null, null, null, null, null);
        return new ChatInput(tenant, conversationId(request.conversationId()), system, earlier, question,
                search(tenant, question, request.retrieval()), prompt, sampling(sampling), sampling.maxTokens(),
                request.stream() == null || request.stream());
    }

    private static List<ChatMessage> messages(List<ChatRequest.Message> wire) {
        if (wire == null || wire.isEmpty()) {
            throw badRequest("messages is missing or empty; send at least the user's question, as "
                    + "[{\"role\": \"user\", \"content\": \"...\"}].");
        }
        List<ChatMessage> messages = new ArrayList<>(wire.size());
        for (int i = 0; i < wire.size(); i++) {
            ChatRequest.Message message = wire.get(i);
            if (message == null) {
                throw badRequest("messages[" + i + "] is null; send an object with role and content.");
            }
            messages.add(new ChatMessage(role(message.role(), i), message.content() == null ? "" : message.content()));
        }
        return messages;
    }

    /** The roles of LangChain's SystemMessage, HumanMessage and AIMessage, under either of their names. */
    private static String role(String role, int index) {
        String normalized = role == null ? "" : role.strip().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "system" -> "system";
            case "user", "human" -> "user";
            case "assistant", "ai" -> "assistant";
            default -> throw badRequest("messages[" + index + "].role '" + role + "' is not known; use system, user "
                    + "or assistant.");
        };
    }

    private static String conversationId(String id) {
        if (id == null) {
            return null;
        }
        if (!CONVERSATION_ID.matcher(id).matches()) {
            throw badRequest("conversationId '" + id + "' is not valid: use 1 to 128 letters, digits, '.', '_', ':' "
                    + "or '-', starting with a letter or digit (or leave it out to start a new conversation).");
        }
        return id;
    }

    private PromptTemplate find(String name, Integer version) {
        try {
            return templates.find(name, version);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    private SearchQuery search(String tenant, String question, ChatRequest.Retrieval retrieval) {
        if (retrieval != null && Boolean.FALSE.equals(retrieval.enabled())) {
            return null;
        }
        ChatRequest.Retrieval options = retrieval != null ? retrieval
                : new ChatRequest.Retrieval(true, null, null, null, null);
        int topK = options.topK() == null ? properties.topK() : options.topK();
        if (topK < 1 || topK > SearchQuery.MAX_TOP_K) {
            throw badRequest("retrieval.topK must be between 1 and " + SearchQuery.MAX_TOP_K + ", got " + topK + ".");
        }
        Filter filter;
        HybridFusion fusion;
        try {
            filter = JsonFilters.parse(options.filters(), "retrieval.filters");
            fusion = options.hybridWeight() == null ? HybridFusion.DEFAULT
                    : HybridFusion.weighted(options.hybridWeight());
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage().startsWith("retrieval.") ? e.getMessage()
                    : "retrieval.hybridWeight: " + e.getMessage() + ".");
        }
        double minScore = options.minScore() == null ? properties.minScore() : options.minScore();
        if (!Double.isFinite(minScore)) {
            throw badRequest("retrieval.minScore must be a finite number, got " + minScore + ".");
        }
        return new SearchQuery(tenant, question, SearchMode.HYBRID, filter, topK, minScore, fusion);
    }

    /** The sampling with a placeholder maxTokens (the real one depends on the prompt and the model's window). */
    private static SamplingParams sampling(ChatRequest.Sampling wire) {
        SamplingParams.Builder builder = SamplingParams.builder().temperature(0f).maxTokens(Integer.MAX_VALUE);
        if (wire.temperature() != null) {
            builder.temperature(wire.temperature().floatValue());
        }
        if (wire.topP() != null) {
            builder.topP(wire.topP().floatValue());
        }
        if (wire.topK() != null) {
            builder.topK(wire.topK());
        }
        if (wire.minP() != null) {
            builder.minP(wire.minP().floatValue());
        }
        if (wire.maxTokens() != null) {
            builder.maxTokens(wire.maxTokens());
        }
        if (wire.repetitionPenalty() != null) {
            builder.repetitionPenalty(wire.repetitionPenalty().floatValue());
        }
        if (wire.presencePenalty() != null) {
            builder.presencePenalty(wire.presencePenalty().floatValue());
        }
        if (wire.frequencyPenalty() != null) {
            builder.frequencyPenalty(wire.frequencyPenalty().floatValue());
        }
        builder.seed(wire.seed()).stop(wire.stop());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw badRequest("sampling." + camelCase(e.getMessage()));
        }
    }

    /** SamplingParams speaks vLLM's snake_case; this API's fields are camelCase. */
    private static String camelCase(String message) {
        return Pattern.compile("_([a-z])").matcher(message).replaceAll(m -> m.group(1).toUpperCase(Locale.ROOT));
    }

    private static ResponseStatusException badRequest(String message) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
