package dev.hanul.chat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.inference.SamplingOptions;
import dev.hanul.retrieval.SearchQuery;
import java.util.List;

/**
 * A checked RAG request.
 *
 * @param model          the model as the client named it; null for the default
 * @param conversationId the conversation to continue, or to start under this id (a new one's is made by the checker)
 * @param system         the client's system messages
 * @param earlier        the client's earlier turns (after any the server keeps for the conversation)
 * @param search         what to retrieve; null for plain chat
 * @param sampling       the sampling, checked with the model's limits when the prompt is built
 * @param maxTokens      the answer's limit as the client gave it; null for the default
 */
public record ChatInput(String tenant, String model, String conversationId, List<ChatMessage> system,
                        List<ChatMessage> earlier, String question, SearchQuery search, PromptTemplate template,
                        SamplingOptions sampling, Integer maxTokens) {
}
