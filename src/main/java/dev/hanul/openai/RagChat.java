package dev.hanul.openai;

import dev.hanul.chat.ChatService;
import dev.hanul.chat.RagRequest;
import dev.hanul.chat.RagRequestChecker;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.SamplingOptions;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A RAG chat completion's prompt, prepared by the RAG entry point exactly as {@code POST /api/chat} prepares it
 * (same checks, retrieval, merging of passages, template and window budget). Refusals come back as typed values, and
 * the error renderer words them with this API's names ({@link OpenAiParameters}).
 */
@Component
class RagChat {

    private final RagRequestChecker checker;
    private final ChatService chat;

    RagChat(RagRequestChecker checker, ChatService chat) {
        this.checker = checker;
        this.chat = chat;
    }

    /**
     * @param maxTokens the answer's limit as the client gave it; null for the chat service's reserve
     * @param user      OpenAI's end-user id: the conversation key that keeps a user on one version of a canary
     */
    Mono<ChatService.PreparedChat> prepare(RagTarget target, List<ChatMessage> conversation, SamplingOptions sampling,
            Integer maxTokens, String user) {
        RagOptions options = target.options();
        // The conversation is not kept (OpenAI clients send the whole history), so the user only routes.
        var request = new RagRequest(target.tenant(), target.generation(), null,
                conversation.stream().map(m -> new RagRequest.Turn(m.role(), m.content())).toList(),
                new RagRequest.Retrieval(true, options.topK(), options.filter(), options.hybridWeight(),
                        options.minScore(), options.rerank(), options.rerankCandidates()),
                new RagRequest.Template(options.template(), options.templateVersion()), sampling, maxTokens);
        return chat.prepare(checker.check(request), user);
    }
}
