package dev.hanul.security.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The GGUF reader on arbitrary bytes. A model file comes from outside (a download, a file a user names), so whatever
 * it holds, opening it and reading its metadata either works or fails with a {@link GgufException} that names the
 * problem: no other exception, no crash, no hang.
 */
class GgufReaderFuzzTest {

    /** One file per JVM, rewritten for each input: creating files would cost more than parsing them. */
    private static final Path FILE = file();

    @FuzzTest(maxDuration = "5s")
    void opensOrExplains(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try (GgufFile gguf = GgufFile.open(FILE)) {
            gguf.version();
            gguf.metadata().forEach((key, value) -> String.valueOf(value));
            gguf.tensors().values().forEach(String::valueOf);
        } catch (GgufException expected) {
            // A clear refusal is the right answer to a broken file.
        }
    }

    private static Path file() {
        try {
            Path file = Files.createTempFile("hanul-fuzz", ".gguf");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
