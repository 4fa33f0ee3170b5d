package dev.hanul.cli;

import dev.hanul.model.CatalogEntry;
import dev.hanul.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code serve --model} named: a GGUF file on this machine, or a model of the catalog (downloaded on first
 * start). A value is a file when it ends in {@code .gguf}, holds a path separator or names an existing file;
 * otherwise it is a catalog name.
 */
sealed interface ServedModelChoice {

    /** The settings that make the service serve this model. */
    List<String> settings();

    record LocalFile(Path file) implements ServedModelChoice {
        @Override
        public List<String> settings() {
            return List.of("--hanul.model.path=" + file.toAbsolutePath());
        }
    }

    record Catalogued(CatalogEntry entry) implements ServedModelChoice {
        @Override
        public List<String> settings() {
            var settings = new java.util.ArrayList<>(List.of(
                    "--hanul.model.repository=" + entry.repository(),
                    "--hanul.model.file=" + entry.file(),
                    "--hanul.model.name=" + entry.name()));
            if (entry.sha256() != null) {
                settings.add("--hanul.model.sha256=" + entry.sha256());
            }
            return settings;
        }
    }

    /**
     * Resolves {@code value} (a file or a name).
     *
     * @throws IllegalArgumentException when the file is missing, the name unknown, or the model cannot run here;
     *                                  the message says which and what there is instead
     */
    static ServedModelChoice of(String value, ModelCatalog catalog) {
        Path path = Path.of(value);
        boolean looksLikeFile = value.endsWith(".gguf") || value.contains("/") || value.contains("\\")
                || Files.exists(path);
        if (looksLikeFile) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("no model file " + path.toAbsolutePath()
                        + "; give an existing GGUF file, or a catalog name (`bin/hanul model list`)");
            }
            return new LocalFile(path);
        }
        CatalogEntry entry = catalog.require(value);
        entry.unsupportedReason().ifPresent(reason -> {
            throw new IllegalArgumentException("%s cannot be served by this build: %s. Models it can run: %s"
                    .formatted(entry.name(), reason, String.join(", ", catalog.entries().stream()
                            .filter(CatalogEntry::runnable).map(CatalogEntry::name).toList())));
        });
        return new Catalogued(entry);
    }
}
