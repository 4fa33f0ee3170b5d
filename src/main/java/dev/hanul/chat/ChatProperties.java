package dev.hanul.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RAG chat ({@code POST /api/chat}), under {@code hanul.chat.}.
 *
 * @param topK             chunks retrieved when a request does not say
 * @param minScore         hits scoring below this are not used as sources when a request does not say (the hybrid
 *                         RRF score, about 0.03 at best; 0 keeps every hit)
 * @param answerTokens     tokens reserved for the answer when a request gives no maxTokens; never more than half
 *                         the model's window, so small models still have room for the prompt
 * @param historyTokens    the most tokens of earlier turns put into a prompt; older turns are left out first
 * @param retrievalTimeout the longest retrieval (embedding the question and searching) may take
 */
@ConfigurationProperties("hanul.chat")
public record ChatProperties(
        @DefaultValue("5") int topK,
        @DefaultValue("0") double minScore,
        @DefaultValue("512") int answerTokens,
        @DefaultValue("1024") int historyTokens,
        @DefaultValue("10s") Duration retrievalTimeout) {
}
