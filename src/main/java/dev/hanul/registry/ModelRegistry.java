package dev.hanul.registry;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.EngineOverloadedException;
import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ModelInstance;
import dev.hanul.inference.ModelProperties;
import dev.hanul.inference.ModelRouter;
import dev.hanul.inference.ModelState.Phase;
import dev.hanul.inference.ModelState;
import dev.hanul.remote.RemoteServer;
import dev.hanul.remote.RemoteServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import reactor.adapter.JdkFlowAdapter;

/**
 * The models this service knows, their versions, and the aliases that requests name. It routes every request
 * ({@link ModelRouter}), loads versions each with its own engine within a memory budget, and switches an alias
 * without downtime: the new version is loaded and warmed while the old one serves, the alias moves (new requests
 * go to the new version at once), and the old one drains its running requests and unloads.
 *
 * <p>What a request's model names, in this order: an alias; {@code name@version}; a model's name, which is served
 * by the versions of that model that the {@code default} alias points at (with their weights), or else by the
 * newest loaded version of it. An alias named like a model takes precedence, so "the alias of the same name or
 * {@code default}" decides.
 *
 * <p>Routing reads immutable snapshots and never waits for an admin change; admin changes are serialized on one
 * lock and stored (with who, when, from, to) before they are answered.
 */
@Component
public class ModelRegistry implements ModelRouter, SmartLifecycle {

    public static final String DEFAULT_ALIAS = "default";
    /** The actor of changes the service makes from its {@code hanul.model.*} settings. */
    static final String CONFIGURATION = "configuration";

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Path segments of the admin API that cannot also be model names. */
    private static final Set<String> RESERVED = Set.of("aliases", "changes", "shadow-results");

    private final RegistryStore store;
    private final VersionFiles files;
    private final ModelProperties modelProperties;
    private final RegistryProperties properties;
    private final VersionMetrics metrics;
    private final MemoryBudget memory;
    private final LoraProperties loraProperties;
    private final LoraModules adapters = new LoraModules();
    private final Map<String, Entry> versions = new ConcurrentHashMap<>();
    private volatile Map<String, AliasEntry> aliases = Map.of();
    private final Object lock = new Object();
    private final ScheduledExecutorService drains = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("model-drain").daemon().factory());
    private volatile boolean running;
    private final RemoteServers remotes;

    /** One version: its stored row, its state, and its engine while it is loaded. */
    private static final class Entry {
        volatile ModelVersion row;
        volatile ModelState state;
        volatile LoadedVersion loaded;

        Entry(ModelVersion row, ModelState state) {
            this.row = row;
            this.state = state;
        }
    }

    /** An alias and who last changed it. */
    private record AliasEntry(Alias alias, ModelAlias row) {
    }

    ModelRegistry(RegistryStore store, VersionFiles files, ModelProperties modelProperties,
                  RegistryProperties properties, VersionMetrics metrics, LoraProperties loraProperties,
                  RemoteServers remotes) {
        this.loraProperties = loraProperties;
        this.remotes = remotes;
        this.store = store;
        this.files = files;
        this.modelProperties = modelProperties;
        this.properties = properties;
        this.metrics = metrics;
        this.memory = new MemoryBudget(properties.memoryBudget().toBytes());
    }

    // ---- routing ------------------------------------------------------------------------------------------------

    @Override
    public Route route(String requested, String routingKey) {
        if (requested != null) {
            Optional<LoraModules.Module> adapter = adapters.find(requested);
            if (adapter.isPresent()) {
                // No shadow: the base's shadow would answer without the adapter.
                return new Route(requested, adapterVersion(adapter.get(), routingKey), null);
            }
        }
        return routeModel(requested, routingKey);
    }

    private Route routeModel(String requested, String routingKey) {
        return routeModel(requested, routingKey, true);
    }

    /**
     * @param adaptersAllowed whether an alias may route to a LoRA adapter; false while resolving an adapter's base,
     *                        which must be a model version (an adapter does not run on another adapter)
     */
    private Route routeModel(String requested, String routingKey, boolean adaptersAllowed) {
        String name = requested == null ? DEFAULT_ALIAS : requested;
        AliasEntry aliased = aliases.get(name);
        if (aliased != null) {
            Alias alias = aliased.alias();
            ModelInstance primary = serving(alias.pick(routingKey), routingKey, adaptersAllowed);
            ModelInstance shadow = !adaptersAllowed || alias.shadow() == null
                    || alias.shadow().equals(primary.id()) ? null : servingOrNull(alias.shadow(), routingKey);
            return new Route(requested != null ? requested : primary.name(), primary, shadow);
        }
        if (versions.containsKey(name)) {
            return new Route(name, ready(name), null);
        }
        List<Entry> ofModel = versions.values().stream().filter(entry -> entry.row.name().equals(name))
                .sorted(Comparator.comparingInt((Entry entry) -> entry.row.version()).reversed()).toList();
        if (ofModel.isEmpty()) {
            throw new InferenceFailure.ModelNotFound(name, names());
        }
        AliasEntry byDefault = aliases.get(DEFAULT_ALIAS);
        if (byDefault != null) {
            List<Alias.Target> ofThisModel = byDefault.alias().targets().stream()
                    .filter(target -> modelName(target.version()).equals(name)).toList();
            if (!ofThisModel.isEmpty()) {
                return new Route(name, ready(Alias.pick(ofThisModel, routingKey)), null);
            }
        }
        for (Entry entry : ofModel) {
            if (entry.state.phase() == Phase.READY && entry.loaded != null) {
                return new Route(name, entry.loaded, null);
            }
        }
        throw new InferenceFailure.ModelNotReady(ofModel.getFirst().row.id(), ofModel.getFirst().state);
    }

    /** What an alias's target or shadow names: a loaded version, or a LoRA adapter on one. */
    private ModelInstance serving(String target, String routingKey, boolean adaptersAllowed) {
        Optional<LoraModules.Module> adapter = versions.containsKey(target) ? Optional.empty()
                : adapters.find(target);
        if (adapter.isEmpty()) {
            if (!versions.containsKey(target)) {
                // An alias's target that is no version: a fine-tuned model's adapter not served again yet after a
                // start (the fine-tuning worker serves them once the registry has started), or one removed since.
                throw new InferenceFailure.ModelNotReady(target, new ModelState(Phase.UNLOADED, "the LoRA adapter "
                        + target + " is not served (yet); GET /v1/models lists the adapters served"));
            }
            return ready(target);
        }
        if (!adaptersAllowed) {
            throw new InferenceFailure.ModelNotReady(target, new ModelState(Phase.FAILED, "a LoRA adapter runs on "
                    + "a model version, and this adapter's base routes to the LoRA adapter " + target));
        }
        return adapterVersion(adapter.get(), routingKey);
    }

    private ModelInstance servingOrNull(String target, String routingKey) {
        try {
            return serving(target, routingKey, true);
        } catch (InferenceFailure e) {
            return null;
        }
    }

    /** A LoRA adapter on the version that serves its base now, its weights read for that version once. */
    private AdapterVersion adapterVersion(LoraModules.Module module, String routingKey) {
        ModelInstance base = routeModel(module.base(), routingKey, false).primary();
        return new AdapterVersion(module.name(), base, adapters.bind(module, base));
    }

    /**
     * The names of the models that an alias points at or that have a loaded version, then the aliases other than
     * {@code default} (which a request gets by naming no model).
     */
    @Override
    public List<String> names() {
        Set<String> models = new TreeSet<>();
        for (AliasEntry entry : aliases.values()) {
            entry.alias().targets().stream().filter(target -> adapters.find(target.version()).isEmpty())
                    .forEach(target -> models.add(modelName(target.version())));
        }
        versions.values().stream().filter(entry -> entry.state.phase() == Phase.READY)
                .forEach(entry -> models.add(entry.row.name()));
        List<String> names = new ArrayList<>(models);
        aliases.keySet().stream().filter(alias -> !alias.equals(DEFAULT_ALIAS) && !models.contains(alias)).sorted()
                .forEach(names::add);
        adapters.all().forEach(adapter -> names.add(adapter.name()));
        return names;
    }

    /** An adapter's base as a model name (the alias or version it names, resolved when it is ready). */
    @Override
    public Optional<String> parentOf(String name) {
        return adapters.find(name).map(adapter -> {
            try {
                return routeModel(adapter.base(), null, false).primary().name();
            } catch (InferenceFailure e) {
                return modelName(adapter.base());
            }
        });
    }

    // ---- LoRA adapters ------------------------------------------------------------------------------------------

    /**
     * Serves a LoRA adapter under {@code name} on {@code base} (a model name, alias or version), reading it for the
     * version that serves the base now, so a file that does not fit the model is refused at once.
     */
    void addAdapter(String name, Path path, String base, float scale) {
        requireName(name, "LoRA adapter name");
        synchronized (lock) {
            requireFreeName(name);
            LoraModules.Module module = new LoraModules.Module(name, path, base == null ? DEFAULT_ALIAS : base, scale);
            adapters.add(module);
            try {
                adapters.bind(module, routeModel(module.base(), null, false).primary());
            } catch (InferenceFailure e) {
                adapters.remove(name);
                throw RegistryException.invalid(e.getMessage());
            }
            log.info("LoRA adapter '{}' ({}) served on {}", name, path, module.base());
        }
    }

    /**
     * Serves a LoRA adapter that the platform made (a fine-tuning job's result) on the exact version it was trained
     * on, and records it in the change history with its lineage, unless {@code lineage} is null (the adapter is served
     * again at a start). Unlike {@link #addAdapter}, a base that is not ready yet does not refuse it: the weights are
     * read when the base is ready (as for configured adapters).
     *
     * @param baseVersion the version it was trained on, {@code name@version}
     * @param lineage     what it was made from (base, dataset, hyper-parameters, losses), for the history; null when
     *                    it is served again after a restart
     */
    public void registerAdapter(String name, Path path, String baseVersion, String lineage, String actor) {
        requireName(name, "LoRA adapter name");
        synchronized (lock) {
            requireFreeName(name);
            LoraModules.Module module = new LoraModules.Module(name, path, baseVersion, 1f);
            adapters.add(module);
            LoadedVersion base = readyOrNull(baseVersion);
            if (base != null) {
                try {
                    adapters.bind(module, base);
                } catch (RuntimeException e) {
                    adapters.remove(name);
                    throw e;
                }
            }
            if (lineage != null) {
                store.record(actor, RegistryChange.Action.REGISTER, name, null,
                        "LoRA adapter " + path + " on " + baseVersion + "; " + lineage);
            }
            log.info("LoRA adapter '{}' ({}) served on {}", name, path, baseVersion);
        }
    }

    /** Whether a model, alias or adapter already has this name. */
    public boolean serves(String name) {
        synchronized (lock) {
            try {
                requireFreeName(name);
                return false;
            } catch (RegistryException taken) {
                return true;
            }
        }
    }

    void removeAdapter(String name) {
        synchronized (lock) {
            List<String> pointing = aliasesOf(name);
            if (!pointing.isEmpty()) {
                throw RegistryException.conflict(("The LoRA adapter '%s' serves the alias(es) %s; move them to another "
                        + "version first (PUT /api/admin/models/aliases/{alias}, or POST .../rollback), or clear the "
                        + "shadow.").formatted(name, pointing));
            }
        }
        if (adapters.remove(name).isEmpty()) {
            throw RegistryException.notFound("There is no LoRA adapter '%s'; the adapters are %s."
                    .formatted(name, adapters.all().stream().map(LoraModules.Module::name).toList()));
        }
        log.info("LoRA adapter '{}' removed", name);
    }

    private void requireFreeName(String name) {
        boolean model = versions.containsKey(name) || versions.values().stream()
                .anyMatch(entry -> entry.row.name().equals(name));
        if (model || aliases.containsKey(name) || adapters.find(name).isPresent()) {
            throw RegistryException.conflict(("The name '%s' is already served (as a %s); LoRA adapters need a name "
                    + "of their own.").formatted(name, model ? "model" : aliases.containsKey(name) ? "alias"
                    : "LoRA adapter"));
        }
    }

    /** Reads the adapters whose base this freshly loaded version serves, so a bad file shows in the log at once. */
    private void bindAdapters(LoadedVersion loaded) {
        for (LoraModules.Module module : adapters.all()) {
            try {
                if (routeModel(module.base(), null, false).primary() == loaded) {
                    adapters.bind(module, loaded);
                }
            } catch (InferenceFailure e) {
                log.error("LoRA adapter '{}' cannot be served: {}", module.name(), e.getMessage());
            }
        }
    }

    private LoadedVersion ready(String id) {
        Entry entry = versions.get(id);
        if (entry == null) {
            throw new InferenceFailure.ModelNotFound(id, names());
        }
        LoadedVersion loaded = entry.loaded;
        if (entry.state.phase() != Phase.READY || loaded == null) {
            throw new InferenceFailure.ModelNotReady(id, entry.state);
        }
        return loaded;
    }

    private LoadedVersion readyOrNull(String id) {
        Entry entry = versions.get(id);
        return entry != null && entry.state.phase() == Phase.READY ? entry.loaded : null;
    }

    static String modelName(String versionId) {
        int at = versionId.lastIndexOf('@');
        return at < 0 ? versionId : versionId.substring(0, at);
    }

    // ---- what the admin API and health read ---------------------------------------------------------------------

    List<VersionSnapshot> versions() {
        return versions.values().stream().map(ModelRegistry::snapshot)
                .sorted(Comparator.comparing((VersionSnapshot v) -> v.row().name())
                        .thenComparingInt(v -> v.row().version()))
                .toList();
    }

    VersionSnapshot version(String id) {
        return snapshot(entry(id));
    }

    List<Alias> aliases() {
        return aliases.values().stream().map(AliasEntry::alias).sorted(Comparator.comparing(Alias::name)).toList();
    }

    Optional<Alias> alias(String name) {
        return Optional.ofNullable(aliases.get(name)).map(AliasEntry::alias);
    }

    ModelAlias aliasRow(String name) {
        AliasEntry entry = aliases.get(name);
        if (entry == null) {
            throw RegistryException.notFound("There is no alias '%s'; the aliases are %s. Create it with PUT "
                    .formatted(name, aliases.keySet()) + "/api/admin/models/aliases/" + name + ".");
        }
        return entry.row();
    }

    /** The aliases that point at a version, as target or shadow. */
    List<String> aliasesOf(String id) {
        return aliases.values().stream()
                .filter(entry -> entry.alias().targets().stream().anyMatch(target -> needs(target.version(), id))
                        || entry.alias().shadow() != null && needs(entry.alias().shadow(), id))
                .map(entry -> entry.alias().name()).sorted().toList();
    }

    /** Whether serving {@code target} (a version or a LoRA adapter) needs the version or adapter {@code id}. */
    private boolean needs(String target, String id) {
        if (target.equals(id)) {
            return true;
        }
        return !versions.containsKey(target) && adapters.find(target)
                .map(module -> id.equals(baseVersion(module))).orElse(false);
    }

    /** The version a LoRA adapter runs on now; its base as named when that serves nothing now. */
    private String baseVersion(LoraModules.Module module) {
        if (versions.containsKey(module.base())) {
            return module.base();
        }
        try {
            return routeModel(module.base(), null, false).primary().id();
        } catch (InferenceFailure e) {
            return module.base();
        }
    }

    /**
     * The state of a version, or of a LoRA adapter (its base's state: it serves when its base does); the health
     * indicator and tests read it.
     */
    public ModelState state(String id) {
        Entry entry = versions.get(id);
        if (entry == null) {
            Optional<LoraModules.Module> adapter = adapters.find(id);
            if (adapter.isPresent()) {
                Entry base = versions.get(baseVersion(adapter.get()));
                return base == null ? new ModelState(Phase.UNLOADED, "the LoRA adapter's base " + adapter.get().base()
                        + " serves nothing") : new ModelState(base.state.phase(), "LoRA adapter "
                        + adapter.get().path() + " on " + base.row.id());
            }
        }
        return entry(id).state;
    }

    /** The versions the {@code default} alias points at; empty when there is no such alias. */
    public List<String> defaultTargets() {
        AliasEntry entry = aliases.get(DEFAULT_ALIAS);
        return entry == null ? List.of() : entry.alias().targets().stream().map(Alias.Target::version).toList();
    }

    long memoryBudget() {
        return memory.budget();
    }

    long memoryUsed() {
        return memory.used();
    }

    List<RegistryChange> changes(String subject, int limit) {
        return store.changes(subject, limit);
    }

    List<ShadowResult> shadowResults(String shadow, String alias, int limit) {
        return store.shadowResults(shadow, alias, limit);
    }

    private static VersionSnapshot snapshot(Entry entry) {
        LoadedVersion loaded = entry.loaded;
        return new VersionSnapshot(entry.row, entry.state, loaded == null ? 0 : loaded.weightBytes(),
                loaded == null ? 0 : loaded.kvCacheBytes(), loaded == null ? 0 : loaded.inFlight());
    }

    private Entry entry(String id) {
        Entry entry = versions.get(id);
        if (entry == null) {
            throw RegistryException.notFound("There is no version %s; list them with GET /api/admin/models."
                    .formatted(id));
        }
        return entry;
    }

    // ---- versions -----------------------------------------------------------------------------------------------

    /** Registers the next version of {@code name} (1 for a new model). A local file is read and checked now. */
    VersionSnapshot register(String name, NewVersion spec, String actor) {
        requireName(name, "model name");
        if (adapters.find(name).isPresent()) {
            throw RegistryException.conflict("The name '%s' is a LoRA adapter's; models need a name of their own."
                    .formatted(name));
        }
        GgufFacts facts = null;
        if (spec.source() instanceof VersionSource.Local(Path path)) {
            if (!Files.isRegularFile(path)) {
                throw RegistryException.invalid(path + " is not a file on the server; give the path of a GGUF "
                        + "model as the server sees it.");
            }
            try {
                facts = GgufFacts.read(path);
            } catch (RuntimeException e) {
                throw RegistryException.invalid(path + " cannot be served: " + e.getMessage());
            }
        }
        synchronized (lock) {
            return snapshot(insertVersion(name, spec, facts, actor));
        }
    }

    private Entry insertVersion(String name, NewVersion spec, GgufFacts facts, String actor) {
        // The stored versions too: another replica may have registered one that this one has not read yet.
        int version = Stream.concat(versions.values().stream().map(entry -> entry.row), store.versions().stream())
                .filter(row -> row.name().equals(name)).mapToInt(ModelVersion::version).max().orElse(0) + 1;
        Instant now = Instant.now();
        VersionSource source = spec.source();
        var state = new ModelState(Phase.REGISTERED, "not loaded");
        var row = new ModelVersion(name + "@" + version, name, version, source.kind(), source.location(),
                source.file(), spec.sha256(), facts == null ? null : facts.sizeBytes(),
                facts == null ? null : facts.architecture(), facts == null ? null : facts.quantization(),
                facts == null ? null : facts.contextLength(), spec.kvCacheBytes(), spec.defaultSampling(),
                spec.notes(), actor, now, state.phase(), state.detail(), now);
        try {
            store.insert(row);
        } catch (DataIntegrityViolationException e) {
            if (store.versions().stream().noneMatch(stored -> stored.id().equals(row.id()))) {
                throw e;
            }
            throw RegistryException.conflict(("%s was registered through another replica at the same moment; "
                    + "register again (it becomes the next version).").formatted(row.id()));
        }
        var entry = new Entry(row, state);
        versions.put(row.id(), entry);
        store.record(actor, RegistryChange.Action.REGISTER, row.id(), null, describe(source));
        log.info("Registered {} from {} ({})", row.id(), describe(source), actor);
        return entry;
    }

    private static String describe(VersionSource source) {
        return switch (source) {
            case VersionSource.Local(Path path) -> path.toString();
            case VersionSource.HuggingFace(String repository, String file) -> "hf:" + repository + "/" + file;
            case VersionSource.Url(var url) -> url.toString();
            case VersionSource.Remote(var url, String model) -> "remote " + model + " at " + url;
        };
    }

    /**
     * Starts loading a version in the background: download when needed, open, start its engine, warm it with one
     * short generation, then READY. A version whose file is here already reserves its memory now, so a load that
     * does not fit is refused at once (409, with the numbers).
     */
    VersionSnapshot load(String id, String actor) {
        synchronized (lock) {
            Entry entry = entry(id);
            Phase before = entry.state.phase();
            if (startLoad(entry)) {
                store.record(actor, RegistryChange.Action.LOAD, id, before.name(), entry.state.phase().name());
            }
            return snapshot(entry);
        }
    }

    /** @return whether anything changed (it was not loaded or loading already) */
    private boolean startLoad(Entry entry) {
        switch (entry.state.phase()) {
            case READY, LOADING, DOWNLOADING -> {
                return false;
            }
            case DRAINING -> {
                if (resume(entry)) {
                    return true;
                }
            }
            default -> {
            }
        }
        ModelVersion row = entry.row;
        boolean reserved = false;
        if (row.versionSource() instanceof VersionSource.Local(Path path) && Files.isRegularFile(path)) {
            GgufFacts facts;
            try {
                facts = GgufFacts.read(path);
            } catch (RuntimeException e) {
                setState(entry, new ModelState(Phase.FAILED, e.getMessage()), true);
                throw RegistryException.conflict(row.id() + " cannot be loaded: " + e.getMessage());
            }
            reserve(row, facts);
            reserved = true;
        }
        setState(entry, new ModelState(Phase.LOADING, "queued"), true);
        boolean alreadyReserved = reserved;
        Thread.ofPlatform().name("model-loader-" + row.id()).daemon()
                .start(() -> loadNow(entry, alreadyReserved));
        return true;
    }

    private void reserve(ModelVersion row, GgufFacts facts) {
        long kv = facts.kvCacheBytes(engineConfig(row));
        memory.reserve(row.id(), facts.sizeBytes() + kv, "weights %s + KV cache %s".formatted(
                MemoryBudget.mb(facts.sizeBytes()), MemoryBudget.mb(kv)));
    }

    private EngineConfig engineConfig(ModelVersion row) {
        EngineConfig config = modelProperties.engineConfig();
        return row.kvCacheBytes() == null ? config : new EngineConfig(row.kvCacheBytes(), config.blockSize(),
                config.maxRunningSequences(), config.maxWaiting(), config.maxBatchTokens(), config.prefillChunk(),
                config.threads());
    }

    private void loadNow(Entry entry, boolean reserved) {
        if (entry.row.versionSource() instanceof VersionSource.Remote) {
            loadRemote(entry);
            return;
        }
        String id = entry.row.id();
        LoadedModel opened = null;
        InferenceEngine engine = null;
        try {
            Path file = files.resolve(entry.row, progress -> setState(entry, progress, false));
            setState(entry, new ModelState(Phase.LOADING, "checking " + file), false);
            GgufFacts facts = GgufFacts.read(file);
            String sha256 = VersionFiles.verify(entry.row, file);
            ModelVersion row = entry.row.withFacts(facts, sha256);
            entry.row = row;
            store.update(row);
            if (!reserved) {
                reserve(row, facts);
                reserved = true;
            }
            setState(entry, new ModelState(Phase.LOADING, "loading " + file), true);
            long started = System.nanoTime();
            EngineConfig config = engineConfig(row);
            opened = LoadedModel.open(file, config.threads());
            engine = new InferenceEngine(opened.model(), opened.tokenizer(), config);
            warm(opened, engine);
            var loaded = new LoadedVersion(id, row.name(), opened, engine, facts.sizeBytes(),
                    facts.kvCacheBytes(config), () -> entry.state, this::drained);
            synchronized (lock) {
                entry.loaded = loaded;
                metrics.bind(loaded, row.name(), row.version());
                setState(entry, new ModelState(Phase.READY, file.toString()), true);
            }
            bindAdapters(loaded);
            log.info("Model {} ({}) ready in {} ms: {} KV tokens, backend {} ({}), {} of {} memory in use", id, file,
                    (System.nanoTime() - started) / 1_000_000, engine.kvCapacityTokens(), opened.backendName(),
                    opened.backendReason(), MemoryBudget.mb(memory.used()), MemoryBudget.mb(memory.budget()));
            if (!running) {
                unloadNow(entry, new ModelState(Phase.STOPPED, "the service is shutting down"), false);
            }
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            if (opened != null) {
                opened.close();
            }
            if (reserved) {
                memory.release(id);
            }
            String reason = e instanceof RegistryException registry ? registry.getReason() : e.getMessage();
            setState(entry, new ModelState(Phase.FAILED, reason), true);
            log.error("{} could not be loaded: {}", id, reason, e);
        }
    }

    /**
     * Connects a version that a remote server runs: no file, no memory here. The server is asked what it serves and
     * how it tokenizes ({@link RemoteServer#connect}); a server that cannot be reached leaves the version FAILED with
     * the reason, and loading it again (the admin API) tries again.
     */
    private void loadRemote(Entry entry) {
        String id = entry.row.id();
        try {
            setState(entry, new ModelState(Phase.LOADING, "connecting to " + entry.row.source()), false);
            RemoteServer server = remotes.connect(id, entry.row.name());
            var loaded = new LoadedVersion(id, entry.row.name(), server, () -> entry.state, this::drained);
            synchronized (lock) {
                entry.loaded = loaded;
                metrics.bind(loaded, entry.row.name(), entry.row.version());
                setState(entry, new ModelState(Phase.READY, server.description()), true);
            }
            log.info("Model {} ready: remote {}", id, server.description());
            if (!running) {
                unloadNow(entry, new ModelState(Phase.STOPPED, "the service is shutting down"), false);
            }
        } catch (RuntimeException e) {
            setState(entry, new ModelState(Phase.FAILED, e.getMessage()), true);
            log.error("{} could not be loaded: {}", id, e.getMessage());
        }
    }

    /** One short generation, so the first user request does not pay for cold code paths and page faults. */
    private void warm(LoadedModel model, InferenceEngine engine) {
        int[] prompt = model.tokenizer().encodePrompt("Hello");
        if (prompt.length == 0) {
            prompt = new int[] {0};
        }
        var request = new GenerationRequest("warm-up", prompt, SamplingParams.builder().temperature(0f)
                .maxTokens(properties.warmTokens()).build());
        Flow.Publisher<GenerationEvent> events;
        try {
            events = engine.submit(request);
        } catch (EngineOverloadedException e) {
            // An engine configured to queue nothing (hanul.model.max-waiting=0) takes no warm-up either; it serves
            // cold, which is slower for the first request, not wrong.
            log.info("No warm-up: {}", e.getMessage());
            return;
        }
        GenerationEvent last = JdkFlowAdapter.flowPublisherToFlux(events).blockLast(Duration.ofMinutes(2));
        if (last instanceof GenerationEvent.Finished finished && finished.reason() == FinishReason.ERROR) {
            throw new IllegalStateException("the warm-up generation failed: " + finished.message());
        }
    }

    /** Drains a loaded version that no alias needs: it stops taking requests and unloads after its last one. */
    VersionSnapshot unload(String id, String actor) {
        synchronized (lock) {
            Entry entry = entry(id);
            List<String> pointing = aliasesOf(id);
            if (!pointing.isEmpty()) {
                throw RegistryException.conflict(("%s serves the alias(es) %s; move them to another version first "
                        + "(PUT /api/admin/models/aliases/{alias}), or clear the shadow.").formatted(id, pointing));
            }
            Phase before = entry.state.phase();
            switch (before) {
                case LOADING, DOWNLOADING -> throw RegistryException.conflict(id + " is still loading (" + entry.state
                        .detail() + "); unload it once it is ready.");
                case READY -> {
                    drain(entry, "unloaded by " + actor);
                    store.record(actor, RegistryChange.Action.UNLOAD, id, before.name(), entry.state.phase().name());
                }
                default -> {
                    // Not loaded (or draining already): nothing to do, and nothing changed.
                }
            }
            return snapshot(entry);
        }
    }

    private void drain(Entry entry, String why) {
        LoadedVersion loaded = entry.loaded;
        if (loaded == null) {
            return;
        }
        long grace = properties.drainGrace().toNanos();
        loaded.drain(grace);
        setState(entry, new ModelState(Phase.DRAINING, "%s; %d requests in flight".formatted(why,
                loaded.inFlight())), true);
        log.info("{} draining ({}), {} requests in flight", entry.row.id(), why, loaded.inFlight());
        drains.schedule(() -> unloadIfIdle(loaded), grace + 1_000_000, TimeUnit.NANOSECONDS);
    }

    private boolean resume(Entry entry) {
        LoadedVersion loaded = entry.loaded;
        if (loaded == null || !loaded.resume()) {
            return false;
        }
        setState(entry, new ModelState(Phase.READY, loaded.remote() != null ? loaded.remote().description()
                : loaded.model().path().toString()), true);
        log.info("{} serves again before it unloaded", entry.row.id());
        return true;
    }

    /** Its last request ended while it drains: unload now, or once the grace period is over. */
    private void drained(LoadedVersion loaded) {
        drains.execute(() -> unloadIfIdle(loaded));
    }

    private void unloadIfIdle(LoadedVersion loaded) {
        if (!loaded.closeIfIdle()) {
            return;
        }
        Entry entry = versions.get(loaded.id());
        try {
            metrics.unbind(loaded.id());
            loaded.release();
        } finally {
            memory.release(loaded.id());
        }
        synchronized (lock) {
            if (entry != null && entry.loaded == loaded) {
                entry.loaded = null;
                setState(entry, new ModelState(Phase.UNLOADED, "unloaded at %s after draining; %s freed"
                        .formatted(Instant.now(), MemoryBudget.mb(loaded.weightBytes() + loaded.kvCacheBytes()))),
                        true);
            }
        }
        log.info("{} unloaded: {} of weights and {} of KV cache freed", loaded.id(),
                MemoryBudget.mb(loaded.weightBytes()), MemoryBudget.mb(loaded.kvCacheBytes()));
    }

    private void unloadNow(Entry entry, ModelState state, boolean persist) {
        LoadedVersion loaded = entry.loaded;
        if (loaded == null) {
            return;
        }
        loaded.closeNow();
        entry.loaded = null;
        adapters.forget(loaded.id());
        metrics.unbind(loaded.id());
        loaded.release();
        memory.release(loaded.id());
        setState(entry, state, persist);
    }

    private void setState(Entry entry, ModelState state, boolean persist) {
        entry.state = state;
        if (persist) {
            ModelVersion row = entry.row.withState(state, Instant.now());
            entry.row = row;
            store.update(row);
        }
    }

    // ---- aliases ------------------------------------------------------------------------------------------------

    /**
     * Points an alias at one version, or splits it across versions by weight; creates it when it does not exist.
     * Every target must be loaded (READY), so traffic moves at once. Versions that no alias points at any more
     * drain and unload, unless {@code keepPrevious} (for an instant rollback later).
     */
    Alias setAlias(String name, List<Alias.Target> targets, boolean keepPrevious, String actor) {
        requireName(name, "alias name");
        if (targets == null || targets.isEmpty()) {
            throw RegistryException.invalid("Give the alias a version (\"version\": \"name@3\") or a split "
                    + "(\"targets\": [{\"version\": \"name@3\", \"weight\": 90}, {\"version\": \"name@4\", "
                    + "\"weight\": 10}]).");
        }
        Set<String> seen = new HashSet<>();
        for (Alias.Target target : targets) {
            if (target.version() == null || target.weight() < 1) {
                throw RegistryException.invalid("Every target needs a version and a weight of at least 1, got "
                        + target + ".");
            }
            if (!seen.add(target.version())) {
                throw RegistryException.invalid(target.version() + " is listed twice; give each version once.");
            }
        }
        synchronized (lock) {
            AliasEntry old = aliases.get(name);
            RegistryChange.Action action = old == null ? RegistryChange.Action.ALIAS_CREATE
                    : targets.size() > 1 ? RegistryChange.Action.ALIAS_SPLIT : RegistryChange.Action.ALIAS_MOVE;
            return apply(name, targets, old == null ? null : old.alias().shadow(), action, keepPrevious, actor);
        }
    }

    /**
     * Moves an alias back to where its last move took it from (the history says where). New requests go there at
     * once; the versions must still be loaded (or draining). A second rollback undoes the first.
     */
    Alias rollback(String name, boolean keepPrevious, String actor) {
        synchronized (lock) {
            AliasEntry current = aliases.get(name);
            aliasRow(name);
            RegistryChange last = store.changes(name, 100).stream().filter(change -> change.action().movesAlias())
                    .findFirst().orElse(null);
            if (last == null || last.fromValue() == null) {
                throw RegistryException.conflict("The alias '%s' has not moved since it was created (%s); there is "
                        .formatted(name, current.alias().targetsText()) + "nothing to roll back to.");
            }
            return apply(name, Alias.parseTargets(last.fromValue()), current.alias().shadow(),
                    RegistryChange.Action.ALIAS_ROLLBACK, keepPrevious, actor);
        }
    }

    /**
     * Puts a canary beside the alias's one stable target: {@code percent} of its traffic (sticky per routing key)
     * goes to {@code candidate} (a version or a LoRA adapter), the rest stays where it was. Calling it again changes
     * the share; a rollback goes back to the share before, and the first rollback after the first canary to the
     * stable target alone. Promoting is a move ({@link #setAlias}) to the candidate.
     */
    Alias canary(String name, String candidate, Integer percent, String actor) {
        if (candidate == null || candidate.isBlank()) {
            throw RegistryException.invalid("Name the canary: {\"version\": \"name@4\" or a fine-tuned model, "
                    + "\"weight\": 10}.");
        }
        if (percent == null || percent < 1 || percent > 99) {
            throw RegistryException.invalid(("The canary's weight is the percentage of the alias's traffic it gets, "
                    + "1 to 99; got %s. For none, roll the alias back (POST /api/admin/models/aliases/%s/rollback); "
                    + "for all, promote it (PUT /api/admin/models/aliases/%s {\"version\": \"%s\"}).")
                    .formatted(percent, name, name, candidate));
        }
        synchronized (lock) {
            aliasRow(name);
            Alias alias = aliases.get(name).alias();
            List<Alias.Target> stable = alias.targets().stream()
                    .filter(target -> !target.version().equals(candidate)).toList();
            if (stable.size() != 1) {
                throw RegistryException.conflict(("A canary goes beside one stable target, and '%s' points at %s; "
                        + "move it to one version first (PUT /api/admin/models/aliases/%s {\"version\": ...}).")
                        .formatted(name, alias.targetsText(), name));
            }
            List<Alias.Target> targets = List.of(new Alias.Target(stable.getFirst().version(), 100 - percent),
                    new Alias.Target(candidate, percent));
            return apply(name, targets, alias.shadow(), RegistryChange.Action.ALIAS_SPLIT, false, actor);
        }
    }

    /** Sends a copy of every request of the alias to {@code version} (null: stop), recording both answers. */
    Alias setShadow(String name, String version, String actor) {
        synchronized (lock) {
            AliasEntry current = aliases.get(name);
            aliasRow(name);
            Alias alias = current.alias();
            if (version != null) {
                if (alias.targets(version)) {
                    throw RegistryException.invalid(version + " already serves the alias '" + name + "'; a shadow "
                            + "is a version that does not.");
                }
                ModelInstance shadow = requireInstance(version, name);
                for (Alias.Target target : alias.targets()) {
                    int targetVocabulary = requireInstance(target.version(), name).tokenizer().vocabularySize();
                    int shadowVocabulary = shadow.tokenizer().vocabularySize();
                    if (shadowVocabulary < targetVocabulary) {
                        throw RegistryException.conflict(("%s has %d tokens in its vocabulary and %s has %d: a shadow "
                                + "gets the primary's prompt tokens, so its vocabulary must hold them.")
                                .formatted(version, shadowVocabulary, target.version(), targetVocabulary));
                    }
                }
            }
            if (java.util.Objects.equals(version, alias.shadow())) {
                return alias;
            }
            Alias changed = new Alias(name, alias.targets(), version);
            publish(changed, actor);
            store.record(actor, version == null ? RegistryChange.Action.SHADOW_CLEAR
                    : RegistryChange.Action.SHADOW_SET, name, alias.shadow(), version);
            if (alias.shadow() != null) {
                drainUnused(List.of(alias.shadow()), "no longer the shadow of " + name);
            }
            return changed;
        }
    }

    private Alias apply(String name, List<Alias.Target> targets, String shadow, RegistryChange.Action action,
                        boolean keepPrevious, String actor) {
        List<String> notServing = new ArrayList<>();
        for (Alias.Target target : targets) {
            Entry entry = versions.get(target.version());
            if (entry == null) {
                // A LoRA adapter (a fine-tuning job's result): its base must serve now, so traffic moves at once.
                requireAdapter(target.version(), name);
                continue;
            }
            Phase phase = entry.state.phase();
            if (phase != Phase.READY && !(phase == Phase.DRAINING && entry.loaded != null)) {
                notServing.add(target.version() + " (" + phase + ")");
            }
        }
        if (!notServing.isEmpty()) {
            throw RegistryException.conflict(("%s must be loaded before '%s' points at them, so that traffic moves "
                    + "at once: POST /api/admin/models/{name}/versions/{version}/load, wait for READY, then move "
                    + "the alias.").formatted(notServing, name));
        }
        for (Alias.Target target : targets) {
            Entry entry = versions.get(target.version());
            if (entry != null && entry.state.phase() == Phase.DRAINING && !resume(entry)) {
                throw RegistryException.conflict(target.version() + " unloaded meanwhile; load it again.");
            }
        }
        AliasEntry old = aliases.get(name);
        // A shadow that becomes a target is promoted: it answers clients now, so it stops getting copies.
        boolean promoted = shadow != null && targets.stream().anyMatch(target -> target.version().equals(shadow));
        var alias = new Alias(name, targets, promoted ? null : shadow);
        publish(alias, actor);
        store.record(actor, action, name, old == null ? null : old.alias().targetsText(), alias.targetsText());
        if (promoted) {
            store.record(actor, RegistryChange.Action.SHADOW_CLEAR, name, shadow, null);
        }
        log.info("Alias {}: {} -> {} ({}, {})", name, old == null ? "(new)" : old.alias().targetsText(),
                alias.targetsText(), action, actor);
        if (old != null && !keepPrevious) {
            drainUnused(old.alias().targets().stream().map(Alias.Target::version).toList(),
                    "replaced in '%s' by %s".formatted(name, alias.targetsText()));
        }
        return alias;
    }

    /** A version that serves now, or a LoRA adapter whose base serves now, for the alias {@code alias}. */
    private ModelInstance requireInstance(String id, String alias) {
        return versions.containsKey(id) ? requireServing(id) : requireAdapter(id, alias);
    }

    /**
     * A LoRA adapter that {@code alias} may point at: it exists, its base is not the alias itself, and its base
     * serves now (its weights are read for it, so a file that does not fit is refused before traffic moves).
     */
    private AdapterVersion requireAdapter(String id, String alias) {
        LoraModules.Module module = adapters.find(id).orElseThrow(() -> RegistryException.notFound(("There is no "
                + "version %s, nor a LoRA adapter of that name; register the version first (POST "
                + "/api/admin/models/{name}/versions), or name a fine-tuned model (GET /v1/models lists the "
                + "adapters).").formatted(id)));
        if (module.base().equals(alias)) {
            throw RegistryException.invalid(("The LoRA adapter %s runs on '%s' itself, so '%s' cannot point at it; "
                    + "point the alias at the adapter's base version and the adapter instead.")
                    .formatted(id, alias, alias));
        }
        try {
            return adapterVersion(module, null);
        } catch (InferenceFailure e) {
            throw RegistryException.conflict(("The LoRA adapter %s cannot serve '%s': its base %s is not serving "
                    + "(%s). Load the base first (POST /api/admin/models/{name}/versions/{version}/load, wait for "
                    + "READY), then point the alias at the adapter.").formatted(id, alias, module.base(),
                    e.getMessage()));
        }
    }

    private LoadedVersion requireServing(String id) {
        Entry entry = entry(id);
        if (entry.state.phase() != Phase.READY || entry.loaded == null) {
            throw RegistryException.conflict(("%s is %s; load it first (POST /api/admin/models/{name}/versions/"
                    + "{version}/load) and wait for READY.").formatted(id, entry.state.phase()));
        }
        return entry.loaded;
    }

    private void publish(Alias alias, String actor) {
        var row = new ModelAlias(alias.name(), alias.targetsText(), alias.shadow(), actor, Instant.now());
        store.save(row);
        Map<String, AliasEntry> next = new LinkedHashMap<>(aliases);
        next.put(alias.name(), new AliasEntry(alias, row));
        aliases = Map.copyOf(next);
    }

    /** Drains the versions among {@code candidates} that no alias points at any more. */
    private void drainUnused(List<String> candidates, String why) {
        for (String id : candidates) {
            Entry entry = versions.get(id);
            if (entry != null && aliasesOf(id).isEmpty() && entry.state.phase() == Phase.READY) {
                drain(entry, why);
            }
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw RegistryException.invalid(("The %s '%s' is not allowed: use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit, at most 128 characters, and none of %s.")
                    .formatted(what, name, RESERVED));
        }
    }

    // ---- what RegistrySync applies: changes made through other replicas, read from the shared database ---------

    /**
     * Runs {@code work} while no admin change of this replica runs, so what it reads from the database is not older
     * than this replica's own state (an admin change writes the database and its memory under the same lock).
     */
    void exclusively(Runnable work) {
        synchronized (lock) {
            work.run();
        }
    }

    /**
     * A version as stored: registered through another replica, it is known here from now on (not loaded); one
     * known already takes the facts another replica read from its file, so that this replica's next state write
     * does not put the row back without them.
     */
    void knowVersion(ModelVersion stored) {
        synchronized (lock) {
            Entry entry = versions.get(stored.id());
            if (entry == null) {
                versions.put(stored.id(), new Entry(stored, new ModelState(Phase.REGISTERED,
                        "not loaded on this replica")));
                log.info("{} was registered through another replica ({})", stored.id(), stored.createdBy());
            } else if (entry.row.sha256() == null && stored.sha256() != null && entry.loaded == null) {
                entry.row = stored.withState(entry.state, entry.row.updatedAt());
            }
        }
    }

    /** A version loaded through another replica's admin API: loaded here too, as a start would. */
    void followLoad(String id) {
        synchronized (lock) {
            Entry entry = versions.get(id);
            if (entry != null && startLoadHere(entry)) {
                log.info("{} loads here: it was loaded through another replica", id);
            }
        }
    }

    /**
     * A version unloaded through another replica's admin API: drained here too, unless an alias here needs it.
     *
     * @return false while the version still loads here (then it is to be asked again: it drains once READY)
     */
    boolean followUnload(String id) {
        synchronized (lock) {
            Entry entry = versions.get(id);
            if (entry == null) {
                return true;
            }
            Phase phase = entry.state.phase();
            if (phase == Phase.LOADING || phase == Phase.DOWNLOADING) {
                return false;
            }
            if (phase == Phase.READY && aliasesOf(id).isEmpty()) {
                drain(entry, "unloaded through another replica");
            }
            return true;
        }
    }

    /**
     * Makes the alias here what is stored. The versions it needs (targets, shadow, the bases of LoRA adapters) are
     * loaded here first, while the alias still routes as before, so traffic moves at once as on the replica where
     * the change was made; versions no alias needs any more then drain and unload.
     *
     * @param startLoads whether to start loading what is missing (the first time this stored value is seen); after
     *                   that only READY is waited for, so a version that failed to load is not tried every time
     * @return true once the alias here is the stored one; false while versions it needs are still loading
     */
    boolean followAlias(ModelAlias stored, boolean startLoads) {
        synchronized (lock) {
            AliasEntry current = aliases.get(stored.name());
            if (current != null && current.row().targets().equals(stored.targets())
                    && java.util.Objects.equals(current.row().shadow(), stored.shadow())) {
                return true;
            }
            Alias alias = Alias.of(stored);
            boolean loading = false;
            for (String id : versionsNeeded(alias)) {
                Entry entry = versions.get(id);
                if (startLoads && entry.state.phase() != Phase.READY) {
                    startLoadHere(entry);
                }
                Phase phase = entry.state.phase();
                loading |= phase == Phase.LOADING || phase == Phase.DOWNLOADING;
            }
            if (loading) {
                return false;
            }
            Map<String, AliasEntry> next = new LinkedHashMap<>(aliases);
            next.put(alias.name(), new AliasEntry(alias, stored));
            aliases = Map.copyOf(next);
            log.info("Alias {}: {} -> {} (changed through another replica by {})", alias.name(),
                    current == null ? "(new)" : current.alias().targetsText(), alias.targetsText(),
                    stored.updatedBy());
            if (current != null) {
                List<String> before = new ArrayList<>(current.alias().targets().stream().map(Alias.Target::version)
                        .toList());
                if (current.alias().shadow() != null) {
                    before.add(current.alias().shadow());
                }
                drainUnused(before.stream().map(this::versionOf).toList(), "replaced in '%s' by %s through another "
                        .formatted(alias.name(), alias.targetsText()) + "replica");
            }
            return true;
        }
    }

    /**
     * Drains the versions among {@code candidates} (named by alias changes made through another replica) that no
     * alias here needs: there they drained when the alias moved away, possibly through a state of the alias that this
     * replica never saw (two moves within one sync interval).
     *
     * @return the candidates that no alias needs but that are still loading here: to be drained once loaded
     */
    Set<String> drainUnneeded(Set<String> candidates) {
        synchronized (lock) {
            List<String> ids = candidates.stream().map(this::versionOf).distinct().toList();
            drainUnused(ids, "no alias needs it since changes made through another replica");
            Set<String> loading = new HashSet<>();
            for (String id : ids) {
                Entry entry = versions.get(id);
                if (entry != null && aliasesOf(id).isEmpty() && (entry.state.phase() == Phase.LOADING
                        || entry.state.phase() == Phase.DOWNLOADING)) {
                    loading.add(id);
                }
            }
            return loading;
        }
    }

    /** The versions known here that serving the alias needs: its targets and shadow, or the bases of adapters. */
    private Set<String> versionsNeeded(Alias alias) {
        Set<String> needed = new LinkedHashSet<>();
        alias.targets().forEach(target -> needed.add(versionOf(target.version())));
        if (alias.shadow() != null) {
            needed.add(versionOf(alias.shadow()));
        }
        needed.removeIf(id -> !versions.containsKey(id));
        return needed;
    }

    /** The version itself, or the version a LoRA adapter of that name runs on now. */
    private String versionOf(String target) {
        return versions.containsKey(target) ? target : adapters.find(target).map(this::baseVersion).orElse(target);
    }

    /** Starts loading a version on this replica without recording a change (the other replica recorded it). */
    private boolean startLoadHere(Entry entry) {
        try {
            return startLoad(entry);
        } catch (RegistryException e) {
            setState(entry, new ModelState(Phase.FAILED, e.getReason()), true);
            log.error("{} is not loaded here: {}", entry.row.id(), e.getReason());
            return false;
        }
    }

    // ---- life -------------------------------------------------------------------------------------------------

    /**
     * Reads the registry, registers the model configured under {@code hanul.model.*} (see {@link
     * ConfiguredModel}), and loads in the background what should be loaded: every version an alias points at, and
     * every version that was loaded when the service stopped.
     */
    @Override
    public void start() {
        running = true;
        Set<String> wanted = new HashSet<>();
        synchronized (lock) {
            for (ModelVersion row : store.versions()) {
                if (Set.of(Phase.READY, Phase.LOADING, Phase.DOWNLOADING).contains(row.phase())) {
                    wanted.add(row.id());
                }
                versions.put(row.id(), new Entry(row, new ModelState(row.phase() == Phase.FAILED ? Phase.FAILED
                        : Phase.REGISTERED, row.detail() == null ? "not loaded" : row.detail())));
            }
            aliases = storedAliases();
            syncConfiguredModel(wanted);
            for (LoraProperties.Module module : loraProperties.modules()) {
                addConfiguredAdapter(module);
            }
            new ConfiguredRemotes(remotes.properties()).sync(this, wanted);
            aliases.values().forEach(entry -> {
                entry.alias().targets().forEach(target -> wanted.add(target.version()));
                if (entry.alias().shadow() != null) {
                    wanted.add(entry.alias().shadow());
                }
            });
            for (Entry entry : versions.values()) {
                if (!wanted.contains(entry.row.id())) {
                    if (entry.state.phase() != Phase.FAILED && entry.row.phase() != Phase.REGISTERED) {
                        setState(entry, new ModelState(Phase.UNLOADED, "not loaded since the service started"),
                                true);
                    }
                    continue;
                }
                entry.state = new ModelState(Phase.REGISTERED, "not loaded");
                try {
                    startLoad(entry);
                } catch (RegistryException e) {
                    setState(entry, new ModelState(Phase.FAILED, e.getReason()), true);
                    log.error("{} is not loaded: {}", entry.row.id(), e.getReason());
                }
            }
        }
    }

    private Map<String, AliasEntry> storedAliases() {
        Map<String, AliasEntry> stored = new HashMap<>();
        for (ModelAlias row : store.aliases()) {
            stored.put(row.name(), new AliasEntry(Alias.of(row), row));
        }
        return Map.copyOf(stored);
    }

    /**
     * The configured model into the registry. Replicas started together on an empty database race to register it
     * and to point {@code default} at it; the one that loses reads what the winner stored and applies the
     * configuration again, instead of failing its start.
     */
    private void syncConfiguredModel(Set<String> wanted) {
        try {
            new ConfiguredModel(modelProperties).sync(this, wanted);
        } catch (RegistryException | DataIntegrityViolationException raced) {
            log.info("Another replica registered the configured model at the same moment ({}); using what it stored",
                    raced.getMessage());
            store.versions().forEach(this::knowVersion);
            aliases = storedAliases();
            new ConfiguredModel(modelProperties).sync(this, wanted);
        }
    }

    // What ConfiguredModel needs; package-private so the sync stays in its own file.

    Stream<ModelVersion> rows() {
        return versions.values().stream().map(entry -> entry.row);
    }

    ModelVersion registerConfigured(String name, NewVersion spec) {
        requireConfiguredName(name);
        return insertVersion(name, spec, null, CONFIGURATION).row;
    }

    Optional<ModelAlias> storedAlias(String name) {
        return Optional.ofNullable(aliases.get(name)).map(AliasEntry::row);
    }

    /** Points {@code default} at the configured version without the loaded-check: nothing is loaded yet. */
    void pointDefault(String version) {
        AliasEntry old = aliases.get(DEFAULT_ALIAS);
        var alias = new Alias(DEFAULT_ALIAS, List.of(new Alias.Target(version, 100)),
                old == null ? null : old.alias().shadow());
        publish(alias, CONFIGURATION);
        store.record(CONFIGURATION, old == null ? RegistryChange.Action.ALIAS_CREATE
                : RegistryChange.Action.ALIAS_MOVE, DEFAULT_ALIAS, old == null ? null : old.alias().targetsText(),
                version);
    }

    /** A version that is no longer wanted after a configuration change: not loaded at this start. */
    void forget(String version, Set<String> wanted) {
        wanted.remove(version);
    }

    private void addConfiguredAdapter(LoraProperties.Module module) {
        if (module.name() == null || !NAME.matcher(module.name()).matches() || module.path() == null) {
            throw new IllegalStateException(("hanul.lora.modules: every adapter needs a name (letters, digits, '.', "
                    + "'_', '-') and a path; got name '%s', path %s").formatted(module.name(), module.path()));
        }
        try {
            requireFreeName(module.name());
            adapters.add(new LoraModules.Module(module.name(), module.path().toAbsolutePath().normalize(),
                    module.base(), module.scale()));
        } catch (RegistryException e) {
            throw new IllegalStateException("hanul.lora.modules: " + e.getReason());
        }
    }

    private static void requireConfiguredName(String name) {
        if (name == null || !NAME.matcher(name).matches() || RESERVED.contains(name)) {
            throw new IllegalStateException(("The configured model's name '%s' cannot be used in the registry: set "
                    + "hanul.model.name to letters, digits, '.', '_' and '-' (no '@').").formatted(name));
        }
    }

    @Override
    public void stop() {
        running = false;
        synchronized (lock) {
            for (Entry entry : versions.values()) {
                // Not stored: the next start loads again what was loaded when the service stopped.
                unloadNow(entry, new ModelState(Phase.STOPPED, "the service is shutting down"), false);
            }
        }
        drains.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Below the web server's phases, so it stops after the server has stopped taking requests.
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
