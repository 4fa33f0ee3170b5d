package dev.hanul.registry;

import dev.hanul.inference.ModelState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/admin/models}: the model registry. Register versions, load and unload them, point aliases at them
 * (move, split, roll back, shadow) and read what happened. Every change is stored with who made it (the
 * {@code X-Hanul-Actor} header, "anonymous" without one), when, and from what to what.
 */
@RestController
@RequestMapping("/api/admin/models")
@Tag(name = "Model registry", description = "Model versions, aliases, canary splits, shadows and rollbacks")
class ModelAdminController {

    static final String ACTOR = "X-Hanul-Actor";
    private static final int MAX_LIMIT = 1000;

    record SourceBody(String path, String repository, String file, String url) {
    }

    record RegisterRequest(SourceBody source, String sha256, String kvCache, JsonNode defaultSampling,
                           String notes) {
    }

    record SourceView(VersionSource.Kind kind, String location, String file) {
    }

    /** @param total weights plus KV cache: what the version holds of the memory budget while loaded */
    record MemoryView(long weightsBytes, long kvCacheBytes, long totalBytes) {
    }

    record VersionView(String id, String name, int version, SourceView source, String sha256, Long sizeBytes,
                       String architecture, String quantization, Integer contextLength, Long kvCacheBytes,
                       JsonNode defaultSampling, String notes, String createdBy, Instant createdAt, ModelState state,
                       MemoryView memory, int inFlight, List<String> aliases) {
    }

    record ModelView(String name, List<VersionView> versions) {
    }

    record BudgetView(long budgetBytes, long usedBytes, long freeBytes) {
    }

    record RegistryView(BudgetView memory, List<ModelView> models, List<AliasView> aliases) {
    }

    record TargetBody(String version, Integer weight) {
    }

    /** Either {@code version} (move) or {@code targets} (split). */
    record AliasRequest(String version, List<TargetBody> targets, Boolean keepPrevious) {
    }

    record TargetView(String version, int weight, ModelState.Phase phase) {
    }

    record AliasView(String name, List<TargetView> targets, String shadow, String updatedBy, Instant updatedAt) {
    }

    record ShadowRequest(String version) {
    }

    /** @param weight the canary's percentage of the alias's traffic, 1 to 99 */
    record CanaryRequest(String version, Integer weight) {
    }

    private final ModelRegistry registry;
    private final ObjectMapper json;

    ModelAdminController(ModelRegistry registry, ObjectMapper json) {
        this.registry = registry;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "All models with their versions, states and memory, the aliases, and the memory budget")
    Mono<RegistryView> list() {
        return blocking(() -> new RegistryView(budget(), models(), registry.aliases().stream().map(this::view)
                .toList()));
    }

    @GetMapping("/{name}")
    @Operation(summary = "One model's versions")
    Mono<ModelView> model(@PathVariable String name) {
        return blocking(() -> models().stream().filter(model -> model.name().equals(name)).findFirst()
                .orElseThrow(() -> RegistryException.notFound("There is no model '%s'; register a version with "
                        .formatted(name) + "POST /api/admin/models/" + name + "/versions.")));
    }

    @PostMapping("/{name}/versions")
    @Operation(summary = "Register the next version of a model (a new model gets version 1)")
    Mono<ResponseEntity<VersionView>> register(@PathVariable String name, @RequestBody RegisterRequest request,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        NewVersion spec = newVersion(request);
        return blocking(() -> view(registry.register(name, spec, actor(actor))))
                .map(view -> ResponseEntity.created(URI.create("/api/admin/models/%s/versions/%d"
                        .formatted(view.name(), view.version()))).body(view));
    }

    @GetMapping("/{name}/versions/{version}")
    @Operation(summary = "One version: source, file facts, state, memory, requests in flight, aliases")
    Mono<VersionView> version(@PathVariable String name, @PathVariable int version) {
        return blocking(() -> view(registry.version(name + "@" + version)));
    }

    @PostMapping("/{name}/versions/{version}/load")
    @Operation(summary = "Load and warm a version in the background (202); refused (409) when it does not fit the "
            + "memory budget")
    Mono<ResponseEntity<VersionView>> load(@PathVariable String name, @PathVariable int version,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        return blocking(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(view(registry.load(name + "@" + version, actor(actor)))));
    }

    @PostMapping("/{name}/versions/{version}/unload")
    @Operation(summary = "Drain a version (no new requests; running ones finish) and unload it; refused (409) while "
            + "an alias points at it")
    Mono<ResponseEntity<VersionView>> unload(@PathVariable String name, @PathVariable int version,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        return blocking(() -> ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(view(registry.unload(name + "@" + version, actor(actor)))));
    }

    @GetMapping("/aliases")
    @Operation(summary = "All aliases with their targets, weights and shadows")
    Mono<List<AliasView>> aliases() {
        return blocking(() -> registry.aliases().stream().map(this::view).toList());
    }

    @GetMapping("/aliases/{alias}")
    @Operation(summary = "One alias")
    Mono<AliasView> alias(@PathVariable String alias) {
        return blocking(() -> {
            registry.aliasRow(alias); // 404 with the known aliases
            return view(registry.alias(alias).orElseThrow());
        });
    }

    @PutMapping("/aliases/{alias}")
    @Operation(summary = "Create or move an alias to one version, or split it across versions by weight; the "
            + "versions must be READY. Versions no alias needs any more drain and unload unless keepPrevious")
    Mono<AliasView> setAlias(@PathVariable String alias, @RequestBody AliasRequest request,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        List<Alias.Target> targets = targets(request);
        boolean keep = Boolean.TRUE.equals(request.keepPrevious());
        return blocking(() -> view(registry.setAlias(alias, targets, keep, actor(actor))));
    }

    @PostMapping("/aliases/{alias}/rollback")
    @Operation(summary = "Move the alias back to where its last move took it from; new traffic moves at once")
    Mono<AliasView> rollback(@PathVariable String alias,
            @RequestParam(defaultValue = "false") boolean keepPrevious,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        return blocking(() -> view(registry.rollback(alias, keepPrevious, actor(actor))));
    }

    @PutMapping("/aliases/{alias}/canary")
    @Operation(summary = "Send a percentage (1 to 99) of the alias's traffic to a canary (a version or a fine-tuned "
            + "model's LoRA adapter) beside its one stable target; sticky per routing key. Roll back or promote after")
    Mono<AliasView> canary(@PathVariable String alias, @RequestBody CanaryRequest request,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        return blocking(() -> view(registry.canary(alias, request.version(), request.weight(), actor(actor))));
    }

    @PutMapping("/aliases/{alias}/shadow")
    @Operation(summary = "Send a copy of every request of the alias to a version; both answers are recorded, the "
            + "client gets only the primary's")
    Mono<AliasView> setShadow(@PathVariable String alias, @RequestBody ShadowRequest request,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        if (request.version() == null || request.version().isBlank()) {
            throw RegistryException.invalid("Give the shadow version as {\"version\": \"name@4\"}; to stop "
                    + "shadowing, DELETE /api/admin/models/aliases/" + alias + "/shadow.");
        }
        return blocking(() -> view(registry.setShadow(alias, request.version(), actor(actor))));
    }

    @DeleteMapping("/aliases/{alias}/shadow")
    @Operation(summary = "Stop shadowing")
    Mono<AliasView> clearShadow(@PathVariable String alias,
            @RequestHeader(name = ACTOR, required = false) String actor) {
        return blocking(() -> view(registry.setShadow(alias, null, actor(actor))));
    }

    @GetMapping("/aliases/{alias}/history")
    @Operation(summary = "The alias's changes, newest first: who, when, from, to")
    Mono<List<RegistryChange>> history(@PathVariable String alias,
            @RequestParam(defaultValue = "100") int limit) {
        int checked = limit(limit);
        return blocking(() -> {
            registry.aliasRow(alias);
            return registry.changes(alias, checked);
        });
    }

    @GetMapping("/changes")
    @Operation(summary = "Every change to the registry, newest first")
    Mono<List<RegistryChange>> changes(@RequestParam(required = false) String subject,
            @RequestParam(defaultValue = "100") int limit) {
        int checked = limit(limit);
        return blocking(() -> registry.changes(subject, checked));
    }

    @GetMapping("/shadow-results")
    @Operation(summary = "Shadow answers next to the primary's, newest first; filter by alias or shadow version")
    Mono<List<ShadowResult>> shadowResults(@RequestParam(required = false) String alias,
            @RequestParam(required = false) String shadow, @RequestParam(defaultValue = "100") int limit) {
        int checked = limit(limit);
        return blocking(() -> registry.shadowResults(shadow, alias, checked));
    }

    // ---- mapping ------------------------------------------------------------------------------------------------

    private NewVersion newVersion(RegisterRequest request) {
        SourceBody source = request.source();
        if (source == null) {
            throw RegistryException.invalid("source is missing; give one of {\"path\": \"/models/x.gguf\"}, "
                    + "{\"repository\": \"org/repo-GGUF\", \"file\": \"x.gguf\"} or {\"url\": \"https://...\"}.");
        }
        int given = (source.path() != null ? 1 : 0) + (source.repository() != null ? 1 : 0)
                + (source.url() != null ? 1 : 0);
        if (given != 1) {
            throw RegistryException.invalid("source must have exactly one of path, repository (with file) or url; "
                    + "got " + source + ".");
        }
        VersionSource versionSource;
        if (source.path() != null) {
            versionSource = new VersionSource.Local(Path.of(source.path()).toAbsolutePath().normalize());
        } else if (source.repository() != null) {
            if (source.file() == null || !source.file().endsWith(".gguf")) {
                throw RegistryException.invalid("source.file must name the GGUF file in " + source.repository()
                        + ", e.g. \"model-q8_0.gguf\".");
            }
            versionSource = new VersionSource.HuggingFace(source.repository(), source.file());
        } else {
            URI url;
            try {
                url = URI.create(source.url());
            } catch (IllegalArgumentException e) {
                throw RegistryException.invalid("source.url is not an address: " + e.getMessage());
            }
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw RegistryException.invalid("source.url must be an http(s) address, got " + source.url() + ".");
            }
            versionSource = new VersionSource.Url(url);
        }
        if (request.sha256() != null && !request.sha256().matches("[0-9a-fA-F]{64}")) {
            throw RegistryException.invalid("sha256 must be 64 hexadecimal digits, got " + request.sha256() + ".");
        }
        Long kvCache = null;
        if (request.kvCache() != null) {
            try {
                kvCache = DataSize.parse(request.kvCache()).toBytes();
            } catch (IllegalArgumentException e) {
                throw RegistryException.invalid("kvCache must be a size such as \"64MB\", got " + request.kvCache()
                        + ".");
            }
            if (kvCache < 1) {
                throw RegistryException.invalid("kvCache must be positive, got " + request.kvCache() + ".");
            }
        }
        JsonNode sampling = request.defaultSampling();
        if (sampling != null && !sampling.isNull() && !sampling.isObject()) {
            throw RegistryException.invalid("defaultSampling must be a JSON object such as {\"temperature\": 0.7, "
                    + "\"top_p\": 0.9}, got " + sampling + ".");
        }
        return new NewVersion(versionSource, request.sha256() == null ? null : request.sha256().toLowerCase(),
                kvCache, sampling == null || sampling.isNull() ? null : sampling.toString(), request.notes());
    }

    private static List<Alias.Target> targets(AliasRequest request) {
        if ((request.version() == null) == (request.targets() == null)) {
            throw RegistryException.invalid("Give either \"version\": \"name@3\" (move) or \"targets\": "
                    + "[{\"version\": \"name@3\", \"weight\": 90}, {\"version\": \"name@4\", \"weight\": 10}] "
                    + "(split), not both or neither.");
        }
        if (request.version() != null) {
            return List.of(new Alias.Target(request.version(), 100));
        }
        List<Alias.Target> targets = new ArrayList<>();
        for (TargetBody body : request.targets()) {
            if (body == null || body.weight() == null) {
                throw RegistryException.invalid("Every target of a split needs a version and a weight, got " + body
                        + ".");
            }
            targets.add(new Alias.Target(body.version(), body.weight()));
        }
        return targets;
    }

    private List<ModelView> models() {
        Map<String, List<VersionView>> byName = new LinkedHashMap<>();
        for (VersionSnapshot version : registry.versions()) {
            byName.computeIfAbsent(version.row().name(), name -> new ArrayList<>()).add(view(version));
        }
        return byName.entrySet().stream().map(entry -> new ModelView(entry.getKey(), entry.getValue())).toList();
    }

    private BudgetView budget() {
        long used = registry.memoryUsed();
        return new BudgetView(registry.memoryBudget(), used, registry.memoryBudget() - used);
    }

    private VersionView view(VersionSnapshot version) {
        ModelVersion row = version.row();
        JsonNode sampling = row.defaultSampling() == null ? null : json.readTree(row.defaultSampling());
        return new VersionView(row.id(), row.name(), row.version(), new SourceView(row.sourceKind(), row.source(),
                row.sourceFile()), row.sha256(), row.sizeBytes(), row.architecture(), row.quantization(),
                row.contextLength(), row.kvCacheBytes(), sampling, row.notes(), row.createdBy(), row.createdAt(),
                version.state(), new MemoryView(version.weightBytes(), version.kvCacheBytes(),
                        version.weightBytes() + version.kvCacheBytes()), version.inFlight(),
                registry.aliasesOf(row.id()));
    }

    private AliasView view(Alias alias) {
        ModelAlias row = registry.aliasRow(alias.name());
        List<TargetView> targets = alias.targets().stream().map(target -> new TargetView(target.version(),
                target.weight(), registry.state(target.version()).phase())).toList();
        return new AliasView(alias.name(), targets, alias.shadow(), row.updatedBy(), row.updatedAt());
    }

    private static String actor(String header) {
        return header == null || header.isBlank() ? "anonymous" : header.strip();
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw RegistryException.invalid("limit must be between 1 and " + MAX_LIMIT + ", got " + limit + ".");
        }
        return limit;
    }

    /** Registry operations wait for the database, so they run off the event loop. */
    private static <T> Mono<T> blocking(Callable<T> operation) {
        return Mono.fromCallable(operation).subscribeOn(Schedulers.boundedElastic());
    }
}
