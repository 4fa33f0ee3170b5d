package dev.hanul.registry;

import dev.hanul.inference.ModelProperties;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * The model configured under {@code hanul.model.*}, kept in the registry: on first start it becomes version 1 of a
 * model named as the service has always called it (the file name without {@code .gguf}, or {@code hanul.model.name})
 * and the alias {@code default} points at it, so clients that send that name keep working. When the setting later
 * names another file, that file becomes the model's next version and {@code default} follows it, but only while the
 * configuration owns the alias: once someone has moved {@code default} through the admin API, the registry is the
 * source of truth and the configuration no longer moves it.
 */
final class ConfiguredModel {

    private final ModelProperties properties;

    ConfiguredModel(ModelProperties properties) {
        this.properties = properties;
    }

    /** The model's name in the APIs. */
    String name() {
        if (properties.name() != null && !properties.name().isBlank()) {
            return properties.name();
        }
        String file = properties.path() != null ? properties.path().getFileName().toString() : properties.file();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - ".gguf".length()) : file;
    }

    VersionSource source() {
        return properties.path() != null
                ? new VersionSource.Local(properties.path().toAbsolutePath().normalize())
                : new VersionSource.HuggingFace(properties.repository(), properties.file());
    }

    /**
     * Registers the configured file unless a version of the model already has that source, and points
     * {@code default} at it while the configuration owns the alias. {@code wanted} (the versions to load at this
     * start) loses the version {@code default} pointed at before.
     */
    void sync(ModelRegistry registry, Set<String> wanted) {
        String name = name();
        VersionSource source = source();
        ModelVersion version = registry.rows()
                .filter(row -> row.name().equals(name) && row.sourceKind() == source.kind()
                        && row.source().equals(source.location()) && Objects.equals(row.sourceFile(), source.file()))
                .max(Comparator.comparingInt(ModelVersion::version))
                .orElseGet(() -> registry.registerConfigured(name, new NewVersion(source, properties.sha256(), null,
                        null, "registered from the hanul.model.* settings")));
        var current = registry.storedAlias(ModelRegistry.DEFAULT_ALIAS);
        boolean ownedByConfiguration = current.map(row -> ModelRegistry.CONFIGURATION.equals(row.updatedBy()))
                .orElse(true);
        if (ownedByConfiguration && !current.map(row -> row.targets().equals(version.id())).orElse(false)) {
            current.ifPresent(old -> Alias.parseTargets(old.targets())
                    .forEach(target -> registry.forget(target.version(), wanted)));
            registry.pointDefault(version.id());
        }
    }
}
