package dev.hanul.finetune;

import dev.hanul.config.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.stereotype.Component;

/**
 * Training files' contents, one file each under {@code <data-dir>/fine-tuning/files}, written whole (temporary file,
 * then an atomic rename) before their row exists, so a row never names a half-written file; a file without a row
 * (a crash between the two) is never read.
 */
@Component
class FileContents {

    private final Path directory;
    private final Path jobs;

    FileContents(DataDirectory dataDirectory) {
        this.directory = dataDirectory.path().resolve("fine-tuning").resolve("files");
        this.jobs = dataDirectory.path().resolve("fine-tuning").resolve("jobs");
        try {
            Files.createDirectories(directory);
            Files.createDirectories(jobs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory + "; make the data directory writable", e);
        }
    }

    void write(String id, byte[] content) {
        Path target = path(id);
        Path temporary = directory.resolve(id + ".tmp");
        try {
            Files.write(temporary, content);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the training file " + target, e);
        }
    }

    String read(String id) {
        try {
            return Files.readString(path(id));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the training file " + path(id), e);
        }
    }

    void delete(String id) {
        try {
            Files.deleteIfExists(path(id));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the training file " + path(id), e);
        }
    }

    /** Where a job keeps its checkpoints and adapter. */
    Path jobDirectory(String jobId) {
        Path path = jobs.resolve(jobId);
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + path + "; make the data directory writable", e);
        }
    }

    private Path path(String id) {
        return directory.resolve(id + ".jsonl");
    }
}
