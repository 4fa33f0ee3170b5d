package dev.hanul.prompts;

import dev.hanul.chat.PromptTemplate;
import dev.hanul.chat.PromptTemplates;
import dev.hanul.inference.Parameter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Prompt templates as immutable versions with labels that move, kept in the metadata database. Lookups are served
 * from a snapshot in memory (a chat request never waits for the database); every change writes the database first and
 * then replaces the snapshot. At start the built-in templates are seeded as versions of their names, and
 * {@code production} points at the newest built-in version until someone moves it.
 */
@Service
public class PromptRegistry implements PromptTemplates, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(PromptRegistry.class);
    static final String BUILT_IN = "built-in";

    private final R2dbcEntityTemplate database;
    private final TransactionalOperator transaction;
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

    /** Versions and labels by template name. */
    private record Snapshot(Map<String, NavigableMap<Integer, PromptVersion>> versions,
                            Map<String, Map<String, LabelTargets>> labels) {
    }

    PromptRegistry(R2dbcEntityTemplate database, TransactionalOperator transaction) {
        this.database = database;
        this.transaction = transaction;
    }

    @Override
    public void afterSingletonsInstantiated() {
        seed().then(reload()).block();
    }

    @Override
    public PromptTemplate find(String name, Integer version, String routingKey) {
        String label = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            label = name.substring(at + 1);
            name = name.substring(0, at);
        }
        Snapshot current = snapshot;
        NavigableMap<Integer, PromptVersion> versions = current.versions().get(name);
        if (versions == null) {
            throw new NotFound(Parameter.TEMPLATE_NAME, "'" + name + "' is not a known prompt template; use one of "
                    + current.versions().keySet() + ".");
        }
        if (label != null && version != null) {
            throw new NotFound(Parameter.TEMPLATE_VERSION, version + " and the label '" + label + "' both choose a "
                    + "version of '" + name + "'; send one of them.");
        }
        Map<String, LabelTargets> labels = current.labels().getOrDefault(name, Map.of());
        if (label != null && label.matches("[0-9]+")) {
            version = Integer.parseInt(label);
        } else if (label != null) {
            LabelTargets targets = labels.get(label);
            if (targets == null) {
                throw new NotFound(Parameter.TEMPLATE_NAME, "'" + name + "@" + label + "' names no label of '" + name
                        + "'; " + (labels.isEmpty() ? "it has none yet (PUT /api/prompts/" + name + "/labels/"
                        + label + " makes one)." : "its labels are " + labels.keySet() + "."));
            }
            version = targets.pick(routingKey);
        } else if (version == null) {
            LabelTargets production = labels.get(DEFAULT_LABEL);
            version = production != null ? production.pick(routingKey) : versions.lastKey();
        }
        PromptVersion found = versions.get(version);
        if (found == null) {
            throw new NotFound(Parameter.TEMPLATE_VERSION, version + " of '" + name + "' does not exist; its versions "
                    + "are " + versions.keySet() + " (leave version out for the " + DEFAULT_LABEL + " label's).");
        }
        return template(found);
    }

    /** The names with their versions (oldest first) and labels. */
    List<PromptView> list() {
        Snapshot current = snapshot;
        return current.versions().keySet().stream().map(name -> view(current, name)).toList();
    }

    /** One template's versions and labels; empty when the name is unknown. */
    Optional<PromptView> get(String name) {
        Snapshot current = snapshot;
        return current.versions().containsKey(name) ? Optional.of(view(current, name))
                : Optional.empty();
    }

    /** One version with its text. */
    Optional<PromptVersion> version(String name, int version) {
        return Optional.ofNullable(snapshot.versions().getOrDefault(name, Collections.emptyNavigableMap())
                .get(version));
    }

    /** Stores the next version of {@code name} (a new name starts at 1) and returns it. */
    Mono<PromptVersion> create(String name, String text, String system, String message, String author) {
        return database.select(Query.query(Criteria.where("name").is(name)).sort(Sort.by(Sort.Direction.DESC,
                        "version")).limit(1), PromptVersion.class)
                .next()
                .map(PromptVersion::version)
                .defaultIfEmpty(0)
                .flatMap(latest -> database.insert(new PromptVersion(PromptVersion.id(name, latest + 1), name,
                        latest + 1, text, system, message, author, Instant.now())))
                .as(transaction::transactional)
                .flatMap(created -> reload().thenReturn(created));
    }

    /** Points {@code label} at {@code targets}, recording the move; returns the change. */
    Mono<PromptLabelChange> moveLabel(String name, String label, LabelTargets targets, String author) {
        Instant now = Instant.now();
        String id = PromptLabel.id(name, label);
        return database.selectOne(Query.query(Criteria.where("id").is(id)), PromptLabel.class)
                .map(PromptLabel::targets)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(previous -> {
                    var stored = new PromptLabel(id, name, label, targets.text(), author, now);
                    Mono<PromptLabel> write = previous.isPresent() ? database.update(stored)
                            : database.insert(stored);
                    var change = new PromptLabelChange(UUID.randomUUID().toString(), name, label,
                            previous.orElse(null), targets.text(), author, now);
                    return write.then(database.insert(change));
                })
                .as(transaction::transactional)
                .flatMap(change -> reload().thenReturn(change));
    }

    /** The label's moves, newest first. */
    Flux<PromptLabelChange> history(String name, String label) {
        return database.select(Query.query(Criteria.where("name").is(name).and("label").is(label))
                .sort(Sort.by(Sort.Direction.DESC, "changed_at")), PromptLabelChange.class);
    }

    private static PromptTemplate template(PromptVersion version) {
        return new PromptTemplate(version.name(), version.version(), version.text(), version.systemText());
    }

    private static PromptView view(Snapshot current, String name) {
        List<PromptView.Version> versions = new ArrayList<>();
        current.versions().get(name).values().forEach(v -> versions.add(new PromptView.Version(v.version(),
                v.message(), v.createdBy(), v.createdAt())));
        Map<String, String> labels = new TreeMap<>();
        current.labels().getOrDefault(name, Map.of()).forEach((label, targets) -> labels.put(label, targets.text()));
        return new PromptView(name, versions, labels);
    }

    /** Inserts the built-in versions the database lacks, and production labels where a built-in has none. */
    private Mono<Void> seed() {
        List<PromptTemplate> builtIns = BuiltInPrompts.load();
        Instant now = Instant.now();
        return Flux.fromIterable(builtIns)
                .concatMap(template -> database.selectOne(Query.query(Criteria.where("id")
                                .is(PromptVersion.id(template.name(), template.version()))), PromptVersion.class)
                        .doOnNext(stored -> {
                            if (!stored.text().equals(template.text())) {
                                log.warn("Prompt {} v{} in the database differs from the built-in one of the same "
                                        + "version; the database's is kept", template.name(), template.version());
                            }
                        })
                        .switchIfEmpty(Mono.defer(() -> database.insert(new PromptVersion(
                                PromptVersion.id(template.name(), template.version()), template.name(),
                                template.version(), template.text(), template.system(), "shipped with Hanul",
                                BUILT_IN, now)))))
                .thenMany(Flux.fromIterable(latestPerName(builtIns)))
                .concatMap(template -> database.selectOne(Query.query(Criteria.where("id")
                                .is(PromptLabel.id(template.name(), DEFAULT_LABEL))), PromptLabel.class)
                        .switchIfEmpty(Mono.defer(() -> moveLabel(template.name(), DEFAULT_LABEL,
                                LabelTargets.single(template.version()), BUILT_IN).then(Mono.empty()))))
                .then();
    }

    private static List<PromptTemplate> latestPerName(List<PromptTemplate> templates) {
        Map<String, PromptTemplate> latest = new TreeMap<>();
        templates.forEach(t -> latest.merge(t.name(), t, (a, b) -> a.version() >= b.version() ? a : b));
        return List.copyOf(latest.values());
    }

    private Mono<Void> reload() {
        Mono<Map<String, NavigableMap<Integer, PromptVersion>>> versions = database.select(Query.empty(),
                PromptVersion.class).collect(TreeMap::new, (map, v) -> map.computeIfAbsent(v.name(),
                        n -> new TreeMap<>()).put(v.version(), v));
        Mono<Map<String, Map<String, LabelTargets>>> labels = database.select(Query.empty(), PromptLabel.class)
                .collect(TreeMap::new, (map, l) -> map.computeIfAbsent(l.name(), n -> new TreeMap<>())
                        .put(l.label(), LabelTargets.parse(l.targets())));
        return Mono.zip(versions, labels).doOnNext(both -> snapshot = new Snapshot(both.getT1(), both.getT2()))
                .then();
    }
}
