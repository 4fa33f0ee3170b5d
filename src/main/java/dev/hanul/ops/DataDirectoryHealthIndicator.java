package dev.hanul.ops;

import dev.hanul.config.DataDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the data directory (component {@code dataDirectory}): a service that cannot write its data must not take
 * traffic, so this indicator is part of the readiness group.
 */
@Component
class DataDirectoryHealthIndicator implements HealthIndicator {

    private final Path path;

    DataDirectoryHealthIndicator(DataDirectory dataDirectory) {
        this.path = dataDirectory.path();
    }

    @Override
    public Health health() {
        Health.Builder health = Files.isDirectory(path) && Files.isWritable(path)
                ? Health.up()
                : Health.down().withDetail("error", path + " is not a writable directory; fix its permissions or"
                        + " point hanul.data-dir (HANUL_DATA_DIR) elsewhere");
        health.withDetail("path", path.toString());
        try {
            health.withDetail("usableBytes", Files.getFileStore(path).getUsableSpace());
        } catch (IOException e) {
            // Free space is a detail; the writability check above already decides the status.
        }
        return health.build();
    }
}
