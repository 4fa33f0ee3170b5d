package dev.hanul.registry;

import dev.hanul.remote.RemoteProperties;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;

/**
 * The models configured under {@code hanul.remote.models.<name>}: each is a version of the model {@code <name>}
 * that a remote server runs. A server address or model not registered yet becomes the model's next version; the
 * model's other remote versions (an address configured before) are not loaded at this start, so the name routes to
 * the configured server. Aliases may point at these versions like at any other, for example to split traffic
 * between a local and a remote version.
 */
final class ConfiguredRemotes {

    private final RemoteProperties properties;

    ConfiguredRemotes(RemoteProperties properties) {
        this.properties = properties;
    }

    void sync(ModelRegistry registry, Set<String> wanted) {
        properties.models().forEach((name, server) -> {
            if (server.baseUrl() == null) {
                throw new IllegalStateException("hanul.remote.models." + name + ".base-url is not set; give the "
                        + "server's address, e.g. http://gpu-box:8000");
            }
            var source = new VersionSource.Remote(server.baseUrl(), server.model());
            ModelVersion version = registry.rows()
                    .filter(row -> row.name().equals(name) && row.sourceKind() == VersionSource.Kind.REMOTE
                            && row.source().equals(source.location()) && Objects.equals(row.sourceFile(),
                            source.file()))
                    .max(Comparator.comparingInt(ModelVersion::version))
                    .orElseGet(() -> registry.registerConfigured(name, new NewVersion(source, null, null, null,
                            "registered from the hanul.remote.models." + name + " settings")));
            registry.rows().filter(row -> row.name().equals(name) && row.sourceKind() == VersionSource.Kind.REMOTE
                    && !row.id().equals(version.id())).forEach(old -> registry.forget(old.id(), wanted));
            wanted.add(version.id());
        });
    }
}
