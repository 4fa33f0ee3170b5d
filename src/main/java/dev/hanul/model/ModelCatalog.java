package dev.hanul.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Short model names and the files they stand for, as Ollama's library does it: {@code hanul model pull qwen3:0.6b},
 * {@code hanul serve --model smollm2:135m}. The built-in list is a versioned resource of this build
 * ({@code dev/hanul/model/catalog.json}); a user adds or overrides entries with a file of the same format
 * ({@code <data-dir>/catalog.json}). The catalog only names files: downloading is {@link ModelDownloader}'s, running
 * the engine's, and a registry of versions can keep the entry a version came from.
 */
public final class ModelCatalog {

    /** The built-in catalog on the class path. */
    public static final String RESOURCE = "/dev/hanul/model/catalog.json";
    /** The file in the data directory that adds to (and overrides) the built-in catalog. */
    public static final String USER_FILE = "catalog.json";
    /** The catalog format this build reads. */
    public static final int FORMAT_VERSION = 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            // A misspelt field in a user's catalog is an error, not a silently missing checksum.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Optional fields (sha256, sizeMb, default) may be left out.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A catalog file: its format version, a note for its readers, and its entries. */
    record CatalogFile(int version, String about, List<CatalogFileEntry> models) {
    }

    /** An entry as written in JSON ({@code default} is a Java keyword, hence this shape). */
    record CatalogFileEntry(String name, String repository, String file, String sha256, long sizeMb,
                            String license, String architecture, String quantization, String parameters,
                            String template, String use, @JsonProperty("default") boolean byDefault) {
    }

    private final Map<String, CatalogEntry> entries;

    private ModelCatalog(Map<String, CatalogEntry> entries) {
        this.entries = entries;
    }

    /** The catalog built into this version of Hanul. */
    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path; the build is broken");
            }
            return new ModelCatalog(index(parse(in.readAllBytes(), RESOURCE), new LinkedHashMap<>()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** The built-in catalog with the user's file in {@code dataDirectory} over it, when there is one. */
    public static ModelCatalog forDataDirectory(Path dataDirectory) {
        Path user = dataDirectory.resolve(USER_FILE);
        return Files.isRegularFile(user) ? builtIn().with(user) : builtIn();
    }

    /** This catalog with the entries of {@code file} added; an entry with a known name replaces the old one. */
    public ModelCatalog with(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model catalog " + file + ": " + e.getMessage(), e);
        }
        Map<String, CatalogEntry> merged = new LinkedHashMap<>(entries);
        List<CatalogEntry> added = parse(json, file.toString());
        if (added.stream().anyMatch(CatalogEntry::isDefault)) {
            merged.replaceAll((name, entry) -> entry.isDefault() ? withoutDefault(entry) : entry);
        }
        return new ModelCatalog(index(added, merged));
    }

    /** All entries, built-in ones first in their order, then the user's. */
    public Collection<CatalogEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<CatalogEntry> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * The entry called {@code name}.
     *
     * @throws IllegalArgumentException naming the known models when there is none
     */
    public CatalogEntry require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no model named '%s' in the catalog; known: %s (`bin/hanul model list` shows them)"
                        .formatted(name, String.join(", ", entries.keySet()))));
    }

    /** The model served when none is named: the entry marked {@code "default": true}. */
    public CatalogEntry defaultModel() {
        return entries.values().stream().filter(CatalogEntry::isDefault).reduce((first, later) -> later)
                .orElseThrow(() -> new IllegalStateException("the model catalog marks no entry as the default"));
    }

    /** The entry whose repository and file these are, if the catalog has one (to name a configured model). */
    public Optional<CatalogEntry> findByFile(String repository, String file) {
        return entries.values().stream()
                .filter(entry -> entry.repository().equals(repository) && entry.file().equals(file))
                .findFirst();
    }

    private static List<CatalogEntry> parse(byte[] json, String origin) {
        CatalogFile file;
        try {
            file = JSON.readValue(json, CatalogFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The model catalog " + origin + " is not valid JSON of the catalog "
                    + "format: " + e.getOriginalMessage(), e);
        }
        if (file.version() != FORMAT_VERSION) {
            throw new IllegalArgumentException("The model catalog %s has format version %d; this build reads %d"
                    .formatted(origin, file.version(), FORMAT_VERSION));
        }
        if (file.models() == null) {
            throw new IllegalArgumentException("The model catalog " + origin + " has no \"models\" list");
        }
        List<CatalogEntry> parsed = new ArrayList<>();
        for (CatalogFileEntry e : file.models()) {
            try {
                parsed.add(new CatalogEntry(e.name(), e.repository(), e.file(), e.sha256(), e.sizeMb(), e.license(),
                        e.architecture(), e.quantization(), e.parameters(), e.template(), e.use(),
                        e.byDefault()));
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException("The model catalog " + origin + ": " + invalid.getMessage(),
                        invalid);
            }
        }
        return parsed;
    }

    private static Map<String, CatalogEntry> index(List<CatalogEntry> added, Map<String, CatalogEntry> into) {
        for (CatalogEntry entry : added) {
            into.put(entry.name(), entry);
        }
        return into;
    }

    private static CatalogEntry withoutDefault(CatalogEntry e) {
        return new CatalogEntry(e.name(), e.repository(), e.file(), e.sha256(), e.sizeMb(), e.license(),
                e.architecture(), e.quantization(), e.parameters(), e.template(), e.use(), false);
    }
}
