package dev.hanul.ingest;

import dev.hanul.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The folder where uploads are written before the job that processes them is accepted: {@code staging/} under the
 * data directory, or {@code hanul.ingest.staging-dir}, a directory shared by replicas. Uploads are staged so that an
 * accepted document survives a crash and its job can resume from it, on this replica or, from a shared directory, on
 * any other.
 */
@Component
public class DocumentStaging {

    /**
     * In a shared directory a file no entry refers to may be an upload another replica is still receiving (its job is
     * not yet recorded), so only files older than any upload takes are orphans there.
     */
    static final Duration SHARED_ORPHAN_AGE = Duration.ofHours(1);

    private final Path root;
    private final boolean shared;

    public DocumentStaging(DataDirectory dataDirectory, IngestProperties properties) {
        this.shared = properties.stagingDir() != null;
        this.root = shared ? properties.stagingDir().toAbsolutePath().normalize()
                : dataDirectory.path().resolve("staging");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + root + ": " + e.getMessage(), e);
        }
    }

    /** A fresh name for an upload; the extension helps type detection when the content is ambiguous. */
    public String newName(String extension) {
        return UUID.randomUUID() + (extension.isEmpty() ? "" : "." + extension);
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }

    public void delete(String name) {
        try {
            Files.deleteIfExists(resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the staged upload " + resolve(name) + ": " + e.getMessage(),
                    e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Deletes staged files that no pending job entry refers to: leftovers of requests cut off by a crash. In a shared
     * directory only those older than {@link #SHARED_ORPHAN_AGE}.
     */
    void deleteAllExcept(Set<String> keep) {
        FileTime cutoff = FileTime.from(shared ? Instant.now().minus(SHARED_ORPHAN_AGE) : Instant.MAX);
        try (Stream<Path> files = Files.list(root)) {
            List<Path> orphans = files.filter(file -> !keep.contains(file.getFileName().toString()))
                    .filter(file -> modifiedBefore(file, cutoff)).toList();
            for (Path orphan : orphans) {
                Files.deleteIfExists(orphan);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean modifiedBefore(Path file, FileTime cutoff) {
        try {
            return Files.getLastModifiedTime(file).compareTo(cutoff) < 0;
        } catch (IOException e) {
            return false; // gone meanwhile (another replica cleaned it), or unreadable: not ours to delete
        }
    }

    /** The extension of a file name, lower case, or "" (also for names like ".bashrc"). */
    public static String extension(String fileName) {
        String name = fileName.substring(fileName.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot + 1).toLowerCase() : "";
        return extension.matches("[a-z0-9]{1,10}") ? extension : "";
    }
}
