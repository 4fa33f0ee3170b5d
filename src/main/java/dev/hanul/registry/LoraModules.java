package dev.hanul.registry;

import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ModelInstance;
import dev.hanul.inference.ModelState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LoRA adapters the registry serves, by name, and their weights bound to the loaded versions they run on. An
 * adapter names its base by model name or alias, so it follows the base when an alias moves: the weights are read
 * once per (adapter, version) — eagerly when a version becomes ready, else on the first request — and forgotten when
 * that version unloads. Held in memory only: configured ones come back at every start, ones added at runtime
 * ({@code POST /v1/load_lora_adapter}) do not, as in vLLM.
 */
final class LoraModules {

    private static final Logger log = LoggerFactory.getLogger(LoraModules.class);

    /** One served adapter. */
    record Module(String name, Path path, String base, float scale) {
    }

    private final Map<String, Module> modules = new ConcurrentHashMap<>();
    private final Map<String, LoraAdapter> bound = new ConcurrentHashMap<>();

    Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    List<Module> all() {
        return modules.values().stream().sorted(java.util.Comparator.comparing(Module::name)).toList();
    }

    /** Adds an adapter; the caller has checked that the name is free. */
    void add(Module module) {
        if (!Files.isRegularFile(module.path())) {
            throw RegistryException.invalid("The LoRA adapter file %s of '%s' does not exist on the server; give the "
                    .formatted(module.path(), module.name()) + "path of a LoRA GGUF (convert_lora_to_gguf.py "
                    + "writes one) as the server sees it.");
        }
        if (!Float.isFinite(module.scale())) {
            throw RegistryException.invalid("The scale of LoRA adapter '%s' must be a finite number, got %s"
                    .formatted(module.name(), module.scale()));
        }
        modules.put(module.name(), module);
    }

    Optional<Module> remove(String name) {
        Module removed = modules.remove(name);
        if (removed != null) {
            bound.keySet().removeIf(key -> key.startsWith(name + "\u0000"));
        }
        return Optional.ofNullable(removed);
    }

    /**
     * The adapter's weights for the version that serves its base.
     *
     * @throws InferenceFailure.ModelNotReady when the file cannot be loaded for that version (the reason says why)
     */
    LoraAdapter bind(Module module, ModelInstance version) {
        String key = module.name() + "\u0000" + version.id();
        LoraAdapter adapter = bound.get(key);
        if (adapter != null) {
            return adapter;
        }
        synchronized (this) {
            adapter = bound.get(key);
            if (adapter == null) {
                try {
                    adapter = LoraAdapter.load(module.path(), version.engine().model(), module.name(),
                            module.scale());
                } catch (RuntimeException e) {
                    throw new InferenceFailure.ModelNotReady(module.name(), new ModelState(ModelState.Phase.FAILED,
                            "LoRA adapter %s on %s: %s".formatted(module.path(), version.id(), e.getMessage())));
                }
                log.info("LoRA adapter '{}' ({}, rank {}, alpha {}, scale {}, {}) bound to {}", module.name(),
                        module.path(), adapter.rank(), adapter.alpha(), adapter.scale(), adapter.targets(),
                        version.id());
                bound.put(key, adapter);
            }
            return adapter;
        }
    }

    /** Drops the weights bound to a version that unloads. */
    void forget(String versionId) {
        bound.keySet().removeIf(key -> key.endsWith("\u0000" + versionId));
    }
}
