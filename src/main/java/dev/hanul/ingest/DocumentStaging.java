package dev.hanul.ingest;

import dev.hanul.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The folder {@code staging/} under the data directory, where uploads are written before the job that processes them
 * is accepted. Uploads are staged so that an accepted document survives a crash and its job can resume from it.
 */
@Component
public class DocumentStaging {

    private final Path root;

    public DocumentStaging(DataDirectory dataDirectory) {
        this.root = dataDirectory.path().resolve("staging");
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

    /** Deletes staged files that no pending job entry refers to: leftovers of requests cut off by a crash. */
    void deleteAllExcept(Set<String> keep) {
        try (Stream<Path> files = Files.list(root)) {
            List<Path> orphans = files.filter(file -> !keep.contains(file.getFileName().toString())).toList();
            for (Path orphan : orphans) {
                Files.deleteIfExists(orphan);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + root + ": " + e.getMessage(), e);
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
