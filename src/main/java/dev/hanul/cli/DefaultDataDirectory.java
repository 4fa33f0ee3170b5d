package dev.hanul.cli;

import java.nio.file.Path;

/**
 * The data directory the commands use when none is given: {@code HANUL_DATA_DIR}, else {@code data}, as the
 * service's own default ({@code hanul.data-dir}), so {@code model pull} puts files where {@code serve} looks.
 */
final class DefaultDataDirectory {

    private DefaultDataDirectory() {
    }

    static Path get() {
        String fromEnvironment = System.getenv("HANUL_DATA_DIR");
        return Path.of(fromEnvironment == null || fromEnvironment.isBlank() ? "data" : fromEnvironment);
    }
}
