package dev.hanul.openai;

import dev.hanul.chat.ChatInput;
import dev.hanul.chat.ChatRequest;
import dev.hanul.chat.ChatRequestChecker;
import dev.hanul.chat.ChatService;
import dev.hanul.engine.chat.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The prompt of a RAG chat completion, prepared by the chat service exactly as {@code POST /api/chat} prepares it
 * (same checks, retrieval, merging of passages, template and window budget). Its 400s name {@code /api/chat}'s fields;
 * here they are renamed to the chat completion's, so the OpenAI error's {@code param} is the one the client sent.
 */
@Component
class RagChat {

    /** {@code /api/chat}'s field names, as the chat service's messages start, and their names in a chat completion. */
    private static final Map<String, String> FIELDS = Map.of(
            "retrieval.topK", "rag.top_k",
            "retrieval.filters", "rag.filter",
            "retrieval.hybridWeight", "rag.hybrid_weight",
            "retrieval.minScore", "rag.min_score",
            "template.name", "rag.template",
            "template.version", "rag.template_version");
    /** The field a message starts with, such as {@code retrieval.filters.year.gte} or {@code messages[2].content}. */
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-zA-Z_]+(?:[.\\[][\\w\\]-]*)*)[ :]");

    private final ChatRequestChecker checker;
    private final ChatService chat;

    RagChat(ChatRequestChecker checker, ChatService chat) {
        this.checker = checker;
        this.chat = chat;
    }

    /**
     * @param maxTokens      the answer's limit as the client gave it; null for the chat service's reserve
     * @param maxTokensParam the parameter that gave it (max_tokens or max_completion_tokens)
     */
    Mono<ChatService.PreparedChat> prepare(RagTarget target, List<ChatMessage> conversation, Integer maxTokens,
            String maxTokensParam) {
        RagOptions options = target.options();
        ChatRequest request = new ChatRequest(
                conversation.stream().map(m -> new ChatRequest.Message(m.role(), m.content())).toList(),
                null, null,
                new ChatRequest.Retrieval(true, options.topK(), options.filter(), options.hybridWeight(),
                        options.minScore()),
                new ChatRequest.Template(options.template(), options.templateVersion()),
                new ChatRequest.Sampling(null, null, null, null, maxTokens, null, null, null, null, null),
                false);
        ChatInput input;
        try {
            input = checker.check(target.tenant(), request);
        } catch (ResponseStatusException e) {
            throw renamed(e, maxTokensParam);
        }
        return chat.prepare(input).onErrorMap(ResponseStatusException.class, e -> renamed(e, maxTokensParam));
    }

    /** A 400 as an OpenAI error naming the chat completion's parameter; other failures pass unchanged. */
    private static ResponseStatusException renamed(ResponseStatusException e, String maxTokensParam) {
        if (e.getStatusCode() != HttpStatus.BAD_REQUEST || e.getReason() == null) {
            return e;
        }
        String message = e.getReason();
        Matcher field = LEADING_FIELD.matcher(message);
        if (!field.find()) {
            return OpenAiException.invalid(null, message);
        }
        String wire = field.group(1);
        String name = param(wire, maxTokensParam);
        return name == null ? OpenAiException.invalid(null, message)
                : OpenAiException.invalid(name, name + message.substring(wire.length()));
    }

    /** The chat completion's name for an {@code /api/chat} field; null when the message does not start with one. */
    private static String param(String wire, String maxTokensParam) {
        if (wire.equals("sampling.maxTokens")) {
            return maxTokensParam;
        }
        if (wire.startsWith("messages")) {
            return wire;
        }
        return FIELDS.entrySet().stream()
                .filter(f -> wire.equals(f.getKey()) || wire.startsWith(f.getKey() + "."))
                .map(f -> f.getValue() + wire.substring(f.getKey().length()))
                .findFirst().orElse(null);
    }
}
