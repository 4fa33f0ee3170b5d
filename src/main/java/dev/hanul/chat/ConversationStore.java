package dev.hanul.chat;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.ingest.DocumentKey;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Conversations per tenant in the metadata database. A conversation exists once its first answer is stored; the
 * client may name it (LangChain's session id) or let the service name it.
 */
@Component
class ConversationStore {

    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;

    ConversationStore(R2dbcEntityTemplate database, TransactionalOperator transaction) {
        this.database = database;
        this.transaction = transaction;
    }

    /** The stored messages, oldest first; empty for a conversation that does not exist yet. */
    Mono<List<ChatMessage>> history(String tenant, String conversationId) {
        return messages(key(tenant, conversationId))
                .map(row -> new ChatMessage(row.role(), row.content()))
                .collectList();
    }

    /** Appends messages after the stored ones, creating the conversation on its first answer. */
    Mono<Void> append(String tenant, String conversationId, List<ChatMessage> added) {
        String key = key(tenant, conversationId);
        Instant now = Instant.now();
        Mono<ChatConversation> conversation = database.selectOne(byId(key), ChatConversation.class)
                .flatMap(existing -> database.update(new ChatConversation(key, tenant, conversationId,
                        existing.createdAt(), now)))
                .switchIfEmpty(Mono.defer(() -> database.insert(new ChatConversation(key, tenant, conversationId,
                        now, now))));
        return conversation
                .then(database.count(Query.query(Criteria.where("conversation_key").is(key)), ConversationMessage.class))
                .flatMapMany(stored -> Flux.range(0, added.size()).concatMap(i -> database.insert(new ConversationMessage(
                        UUID.randomUUID().toString(), key, Math.toIntExact(stored) + i, added.get(i).role(),
                        added.get(i).content(), now))))
                .then()
                .as(transaction::transactional);
    }

    Mono<ConversationView> find(String tenant, String conversationId) {
        String key = key(tenant, conversationId);
        return database.selectOne(byId(key), ChatConversation.class).flatMap(conversation -> messages(key)
                .map(row -> new ConversationView.Message(row.role(), row.content(), row.createdAt()))
                .collectList()
                .map(messages -> new ConversationView(conversationId, tenant, conversation.createdAt(),
                        conversation.updatedAt(), messages)));
    }

    /** The tenant's conversations, the most recently answered first. */
    Flux<ConversationSummary> list(String tenant, int limit) {
        return database.select(Query.query(Criteria.where("tenant").is(tenant))
                        .sort(Sort.by(Sort.Order.desc("updated_at"), Sort.Order.asc("conversation_id"))).limit(limit),
                        ChatConversation.class)
                .concatMap(conversation -> messages(conversation.id()).collectList().map(messages ->
                        new ConversationSummary(conversation.conversationId(), title(messages), messages.size(),
                                conversation.createdAt(), conversation.updatedAt())));
    }

    /**
     * Takes the last question and its answer off the conversation, so that the question can be asked again
     * (regenerate) without the discarded answer in the history; empty when the conversation does not end with one.
     */
    Mono<RemovedTurn> removeLastTurn(String tenant, String conversationId) {
        String key = key(tenant, conversationId);
        return messages(key).collectList().flatMap(messages -> {
            int size = messages.size();
            if (size < 2 || !messages.get(size - 1).role().equals("assistant")
                    || !messages.get(size - 2).role().equals("user")) {
                return Mono.empty();
            }
            ConversationMessage question = messages.get(size - 2);
            ConversationMessage answer = messages.get(size - 1);
            return database.delete(Query.query(Criteria.where("conversation_key").is(key)
                            .and("seq").greaterThanOrEquals(question.seq())), ConversationMessage.class)
                    .thenReturn(new RemovedTurn(question.content(), answer.content()))
                    .as(transaction::transactional);
        });
    }

    private static String title(List<ConversationMessage> messages) {
        String first = messages.stream().filter(m -> m.role().equals("user")).map(ConversationMessage::content)
                .findFirst().orElse("").strip().replaceAll("\\s+", " ");
        return first.length() <= 80 ? first : first.substring(0, 79) + "…";
    }

    /** Deletes the conversation and its messages; false when there was none. */
    Mono<Boolean> delete(String tenant, String conversationId) {
        return database.delete(byId(key(tenant, conversationId)), ChatConversation.class).map(deleted -> deleted > 0);
    }

    private Flux<ConversationMessage> messages(String key) {
        return database.select(Query.query(Criteria.where("conversation_key").is(key)).sort(Sort.by("seq")),
                ConversationMessage.class);
    }

    private static Query byId(String key) {
        return Query.query(Criteria.where("id").is(key));
    }

    /** Hashing tenant and id gives a fixed-length key that no choice of characters can make ambiguous. */
    private static String key(String tenant, String conversationId) {
        return DocumentKey.of(tenant, conversationId);
    }
}
