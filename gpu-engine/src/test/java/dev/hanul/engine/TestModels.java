package dev.hanul.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Finds model and vocabulary files for tests through one setting: the system property {@code hanul.test.models} (or
 * the environment variable {@code HANUL_TEST_MODELS}), a path-separated list of directories searched in order.
 * Default: {@code ../shared/models}, {@code ../shared/vocab} and the project's git-ignored {@code models/}. Tests that
 * need a file that is absent are skipped with a message that says where it was looked for.
 */
public final class TestModels {

    public static final String SMOLLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf";
    public static final String STORIES = "stories260K/stories260K-f32.gguf";
    public static final String TINY_RANDOM = "llama-2-tiny-random.gguf";

    private TestModels() {
    }

    public static Optional<Path> find(String relativePath) {
        return Arrays.stream(directories().split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir).resolve(relativePath))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /** The file's path, or skips the calling test with a message naming the file and the directories searched. */
    public static Path require(String relativePath) {
        Optional<Path> path = find(relativePath);
        assumeTrue(path.isPresent(), () -> notFound(relativePath));
        return path.orElseThrow();
    }

    /** Why a test that needs the file is skipped: which file, where it was looked for, and how to point elsewhere. */
    public static String notFound(String relativePath) {
        return "Skipped: test file " + relativePath + " not found in " + directories()
                + " (set -Dhanul.test.models or HANUL_TEST_MODELS; see README, \"Test models\")";
    }

    private static String directories() {
        String configured = System.getProperty("hanul.test.models", System.getenv("HANUL_TEST_MODELS"));
        return configured != null ? configured
                : String.join(File.pathSeparator, "../shared/models", "../shared/vocab", "models");
    }
}
