package dev.hanul.registry;

import static org.springframework.data.relational.core.query.Criteria.where;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The registry's tables. The registry calls it from its own threads (loaders, admin requests on the bounded elastic
 * scheduler), never from an event loop, so the writes wait for their commit: what the admin API reports is stored.
 */
@Component
class RegistryStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Duration RECORDED_HERE_KEPT = Duration.ofHours(1);

    private final R2dbcEntityTemplate database;
    private final AtomicLong lastSeq = new AtomicLong();
    /** The changes this process recorded lately, by id, with when: {@link RegistrySync} skips them. */
    private final Map<String, Instant> recordedHere = new ConcurrentHashMap<>();

    RegistryStore(R2dbcEntityTemplate database) {
        this.database = database;
    }

    List<ModelVersion> versions() {
        return database.select(ModelVersion.class).all().collectList().block(TIMEOUT);
    }

    List<ModelAlias> aliases() {
        return database.select(ModelAlias.class).all().collectList().block(TIMEOUT);
    }

    void insert(ModelVersion row) {
        database.insert(row).block(TIMEOUT);
    }

    void update(ModelVersion row) {
        database.update(row).block(TIMEOUT);
    }

    void save(ModelAlias row) {
        boolean exists = Boolean.TRUE.equals(database.exists(Query.query(where("name").is(row.name())),
                ModelAlias.class).block(TIMEOUT));
        (exists ? database.update(row) : database.insert(row)).block(TIMEOUT);
    }

    /** Records a change, stamped now; {@code from} and {@code to} say what the subject was and became. */
    RegistryChange record(String actor, RegistryChange.Action action, String subject, String from, String to) {
        Instant now = Instant.now();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        long seq = lastSeq.updateAndGet(last -> Math.max(last + 1, micros));
        var change = new RegistryChange(UUID.randomUUID().toString(), seq, now, actor, action, subject, from, to);
        recordedHere.put(change.id(), now);
        recordedHere.values().removeIf(at -> at.isBefore(now.minus(RECORDED_HERE_KEPT)));
        database.insert(change).block(TIMEOUT);
        return change;
    }

    /** Whether this process recorded the change (within the last {@link #RECORDED_HERE_KEPT}). */
    boolean recordedHere(String changeId) {
        return recordedHere.containsKey(changeId);
    }

    /** The changes stamped after {@code after}, oldest first. */
    List<RegistryChange> changesAfter(Instant after) {
        return database.select(Query.query(where("changedAt").greaterThan(after)).sort(Sort.by("seq")),
                RegistryChange.class).collectList().block(TIMEOUT);
    }

    /** The newest changes first; only {@code subject}'s when it is not null. */
    List<RegistryChange> changes(String subject, int limit) {
        Criteria criteria = subject == null ? Criteria.empty() : where("subject").is(subject);
        return database.select(Query.query(criteria).sort(Sort.by(Sort.Direction.DESC, "seq")).limit(limit),
                RegistryChange.class).collectList().block(TIMEOUT);
    }

    Mono<ShadowResult> insert(ShadowResult row) {
        return database.insert(row);
    }

    /** The newest first; only those of {@code shadow} (a version id) or {@code requested} (an alias) when given. */
    List<ShadowResult> shadowResults(String shadow, String requested, int limit) {
        Criteria criteria = Criteria.empty();
        if (shadow != null) {
            criteria = criteria.and("shadowId").is(shadow);
        }
        if (requested != null) {
            criteria = criteria.and("requested").is(requested);
        }
        return database.select(Query.query(criteria).sort(Sort.by(Sort.Direction.DESC, "recordedAt")).limit(limit),
                ShadowResult.class).collectList().block(TIMEOUT);
    }
}
