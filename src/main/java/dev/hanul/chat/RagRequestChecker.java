package dev.hanul.chat;

import dev.hanul.api.JsonFilters;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.index.Filter;
import dev.hanul.index.HybridFusion;
import dev.hanul.inference.InferenceFailure.Rejected;
import dev.hanul.inference.Parameter;
import dev.hanul.rerank.RerankProperties;
import dev.hanul.retrieval.RerankOptions;
import dev.hanul.retrieval.SearchMode;
import dev.hanul.retrieval.SearchQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The RAG entry point's checks: turns a {@link RagRequest} into a {@link ChatInput}, or refuses it with a
 * {@link Rejected} naming the parameter, which each API words with its own field names. Sampling values are checked
 * later, with the model's limits, by the inference façade.
 */
@Component
public class RagRequestChecker {

    private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final ChatProperties properties;
    private final PromptTemplates templates;

    RagRequestChecker(ChatProperties properties, PromptTemplates templates) {
        this.properties = properties;
        this.templates = templates;
    }

    public ChatInput check(RagRequest request) {
        List<ChatMessage> messages = messages(request.messages());
        ChatMessage last = messages.getLast();
        if (!last.role().equals("user")) {
            throw rejected(Parameter.MESSAGES, ": the last message must be the user's question, but it is from '"
                    + last.role() + "'; end the list with a user message.");
        }
        if (last.content().isBlank()) {
            int index = messages.size() - 1;
            throw new Rejected(Parameter.MESSAGES, "[" + index + "].content", names -> names.of(Parameter.MESSAGES)
                    + "[" + index + "].content is empty; send the question.");
        }
        List<ChatMessage> system = messages.stream().filter(m -> m.role().equals("system")).toList();
        List<ChatMessage> earlier = messages.subList(0, messages.size() - 1).stream()
                .filter(m -> !m.role().equals("system")).toList();
        String question = last.content().strip();
        RagRequest.Template template = request.template();
        // A new conversation gets its id now: it is the routing key of prompt and model splits from the first turn.
        String conversationId = request.conversationId() != null ? conversationId(request.conversationId())
                : UUID.randomUUID().toString();
        PromptTemplate prompt = find(template == null || template.name() == null ? PromptTemplates.DEFAULT_NAME
                : template.name(), template == null ? null : template.version(), conversationId);
        RagRequest.Retrieval retrieval = request.retrieval() != null ? request.retrieval()
                : RagRequest.Retrieval.DEFAULTS;
        return new ChatInput(request.tenant(), request.model(), conversationId, system,
                earlier, question, search(request.tenant(), question, retrieval), prompt, request.sampling(),
                request.maxTokens());
    }

    private static List<ChatMessage> messages(List<RagRequest.Turn> turns) {
        if (turns == null || turns.isEmpty()) {
            throw rejected(Parameter.MESSAGES, " is missing or empty; send at least the user's question, as "
                    + "[{\"role\": \"user\", \"content\": \"...\"}].");
        }
        List<ChatMessage> messages = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            RagRequest.Turn turn = turns.get(i);
            int index = i;
            if (turn == null) {
                throw new Rejected(Parameter.MESSAGES, "[" + index + "]", names -> names.of(Parameter.MESSAGES)
                        + "[" + index + "] is null; send an object with role and content.");
            }
            messages.add(new ChatMessage(role(turn.role(), i), turn.content() == null ? "" : turn.content()));
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
            default -> throw new Rejected(Parameter.MESSAGES, "[" + index + "].role", names -> names.of(
                    Parameter.MESSAGES) + "[" + index + "].role '" + role + "' is not known; use system, user or "
                    + "assistant.");
        };
    }

    private static String conversationId(String id) {
        if (id == null) {
            return null;
        }
        if (!CONVERSATION_ID.matcher(id).matches()) {
            throw rejected(Parameter.CONVERSATION_ID, " '" + id + "' is not valid: use 1 to 128 letters, digits, "
                    + "'.', '_', ':' or '-', starting with a letter or digit (or leave it out to start a new "
                    + "conversation).");
        }
        return id;
    }

    private PromptTemplate find(String name, Integer version, String routingKey) {
        try {
            return templates.find(name, version, routingKey);
        } catch (PromptTemplates.NotFound e) {
            throw rejected(e.parameter(), " " + e.getMessage());
        }
    }

    private SearchQuery search(String tenant, String question, RagRequest.Retrieval options) {
        if (!options.enabled()) {
            return null;
        }
        int topK = options.topK() == null ? properties.topK() : options.topK();
        if (topK < 1 || topK > SearchQuery.MAX_TOP_K) {
            throw rejected(Parameter.RETRIEVAL_TOP_K, " must be between 1 and " + SearchQuery.MAX_TOP_K + ", got "
                    + topK + ".");
        }
        Filter filter;
        try {
            filter = JsonFilters.parse(options.filters(), "filters");
        } catch (JsonFilters.InvalidFilter e) {
            throw new Rejected(Parameter.RETRIEVAL_FILTERS, e.path(), names -> names.of(Parameter.RETRIEVAL_FILTERS)
                    + e.path() + e.problem());
        }
        HybridFusion fusion;
        try {
            fusion = options.hybridWeight() == null ? HybridFusion.DEFAULT
                    : HybridFusion.weighted(options.hybridWeight());
        } catch (IllegalArgumentException e) {
            throw rejected(Parameter.HYBRID_WEIGHT, ": " + e.getMessage() + ".");
        }
        double minScore = options.minScore() == null ? properties.minScore() : options.minScore();
        if (!Double.isFinite(minScore)) {
            throw rejected(Parameter.MIN_SCORE, " must be a finite number, got " + minScore + ".");
        }
        Integer candidates = options.rerankCandidates();
        if (candidates != null && (candidates < 1 || candidates > RerankProperties.MAX_CANDIDATES)) {
            throw rejected(Parameter.RERANK_CANDIDATES, " must be between 1 and " + RerankProperties.MAX_CANDIDATES
                    + ", got " + candidates + ".");
        }
        return new SearchQuery(tenant, question, SearchMode.HYBRID, filter, topK, minScore, fusion,
                new RerankOptions(options.rerank(), candidates));
    }

    /** "{the API's name for the parameter}{rest}". */
    private static Rejected rejected(Parameter parameter, String rest) {
        return new Rejected(parameter, names -> names.of(parameter) + rest);
    }
}
