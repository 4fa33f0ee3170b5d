package dev.hanul.model;

import dev.hanul.engine.model.Architecture;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One model of the {@link ModelCatalog}: a short name (as Ollama's library names them, {@code family:size}) for one
 * GGUF file on a Hugging Face compatible hub, with what a user needs to choose it.
 *
 * @param name         the short name, e.g. {@code smollm2:135m}
 * @param repository   the hub repository, e.g. {@code HuggingFaceTB/SmolLM2-135M-Instruct-GGUF}
 * @param file         the GGUF file in that repository (also its name on disk)
 * @param sha256       the file's SHA-256 in hex, or null to trust the checksum the hub reports
 * @param sizeMb       the file's size in MB as the hub lists it, rounded (for display and memory estimates)
 * @param license      the licence's short name; read it before you deploy the model
 * @param architecture {@code general.architecture} of the file: it decides whether this build can run it
 * @param quantization the weights' quantization (llama.cpp's file type name)
 * @param parameters   the parameter count as the model's authors state it
 * @param template     the chat template the file carries
 * @param use          what the model is good for, in a few words
 * @param isDefault    whether this is the model the service serves when none is named
 */
public record CatalogEntry(
        String name,
        String repository,
        String file,
        String sha256,
        long sizeMb,
        String license,
        String architecture,
        String quantization,
        String parameters,
        String template,
        String use,
        boolean isDefault) {

    public CatalogEntry {
        require(name, "name");
        require(repository, "repository");
        require(file, "file");
        require(architecture, "architecture");
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("catalog entry %s: sha256 must be 64 hex digits, not '%s'"
                    .formatted(name, sha256));
        }
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a catalog entry has no '" + field + "'");
        }
    }

    /** The file's address on a hub ({@link ModelDownloader#defaultEndpoint()} or a mirror). */
    public URI source(URI endpoint) {
        return ModelDownloader.huggingFace(endpoint, repository, file);
    }

    /** Where the file lies once downloaded into {@code modelDirectory}. */
    public Path fileIn(Path modelDirectory) {
        return modelDirectory.resolve(file);
    }

    /** Why this build cannot run the model, or empty when it can. */
    public Optional<String> unsupportedReason() {
        if (Architecture.named(architecture).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("architecture '%s' is not supported by this build's engine yet (it runs: %s)"
                .formatted(architecture, Architecture.supportedNames()));
    }

    public boolean runnable() {
        return unsupportedReason().isEmpty();
    }
}
