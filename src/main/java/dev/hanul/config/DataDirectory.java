package dev.hanul.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The directory named by {@code hanul.data-dir}, created at startup so that a wrong setting stops the service at
 * once instead of failing the first upload.
 */
@Component
public class DataDirectory {

    private final Path path;

    public DataDirectory(HanulProperties properties) {
        this.path = properties.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + path
                    + "; make it writable or point hanul.data-dir (HANUL_DATA_DIR) elsewhere", e);
        }
    }

    public Path path() {
        return path;
    }
}
