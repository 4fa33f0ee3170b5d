package dev.hanul.monitoring;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.data.relational.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The interaction log in the metadata database: writes, tenant-scoped queries, feedback and retention. */
@Component
class InteractionStore {

    private static final TypeReference<List<RetrievedChunk>> CHUNKS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Double>> SCORES = new TypeReference<>() {
    };
    private static final TypeReference<List<GuardrailDecision>> GUARDRAILS = new TypeReference<>() {
    };

    private final R2dbcEntityTemplate database;
    private final JsonMapper json;

    InteractionStore(R2dbcEntityTemplate database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    Mono<Interaction> insert(Interaction interaction) {
        return database.insert(interaction);
    }

    Mono<Boolean> exists(String id) {
        return database.exists(Query.query(Criteria.where("id").is(id)), Interaction.class);
    }

    Mono<InteractionView.Page> page(InteractionFilter filter, int page, int size) {
        Query query = Query.query(filter.criteria()).sort(Sort.by(Sort.Order.desc("created_at"), Sort.Order.asc("id")))
                .limit(size).offset((long) page * size);
        return database.select(query, Interaction.class).map(this::view).collectList()
                .zipWith(database.count(Query.query(filter.criteria()), Interaction.class))
                .map(both -> new InteractionView.Page(both.getT1(), page, size, both.getT2()));
    }

    /** Every matching record, oldest first, for export. */
    Flux<InteractionView> all(InteractionFilter filter) {
        return database.select(Query.query(filter.criteria()).sort(Sort.by("created_at", "id")), Interaction.class)
                .map(this::view);
    }

    Mono<InteractionView> find(String tenant, String id) {
        return database.selectOne(Query.query(byId(tenant, id)), Interaction.class).map(this::view);
    }

    /** @return whether the record exists for the tenant */
    Mono<Boolean> feedback(String tenant, String id, String rating, String comment, Instant at) {
        return database.update(Query.query(byId(tenant, id)), Update.update("feedback_rating", rating)
                .set("feedback_comment", comment).set("feedback_at", at), Interaction.class).map(rows -> rows > 0);
    }

    Mono<Long> deleteTenant(String tenant) {
        return database.delete(Query.query(Criteria.where("tenant").is(tenant)), Interaction.class);
    }

    Mono<Long> deleteOlderThan(Instant before) {
        return database.delete(Query.query(Criteria.where("created_at").lessThan(before)), Interaction.class);
    }

    private static Criteria byId(String tenant, String id) {
        return Criteria.where("id").is(id).and("tenant").is(tenant);
    }

    private InteractionView view(Interaction i) {
        return new InteractionView(i.id(), i.tenant(), i.api(), i.modelName(), i.modelVersion(),
                i.templateName() == null ? null : new InteractionView.Template(i.templateName(), i.templateVersion()),
                i.question(), i.prompt(), i.response(), i.finishReason(),
                new InteractionView.Usage(i.promptTokens(), i.completionTokens(), i.cachedPromptTokens()),
                new InteractionView.Timings(i.ttftMs(), i.durationMs()),
                i.chunks() == null ? List.of() : json.readValue(i.chunks(), CHUNKS),
                i.scores() == null ? Map.of() : json.readValue(i.scores(), SCORES),
                i.feedbackRating() == null ? null
                        : new InteractionView.Feedback(i.feedbackRating(), i.feedbackComment(), i.feedbackAt()),
                i.createdAt(), i.guardrails() == null ? List.of() : json.readValue(i.guardrails(), GUARDRAILS));
    }
}
