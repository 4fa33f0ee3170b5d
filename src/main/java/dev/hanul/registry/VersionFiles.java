package dev.hanul.registry;

import dev.hanul.config.DataDirectory;
import dev.hanul.inference.ModelProperties;
import dev.hanul.inference.ModelState;
import dev.hanul.inference.ModelState.Phase;
import dev.hanul.model.ModelDownloader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A version's GGUF file on this machine: a local file as it is, a Hugging Face or URL source downloaded once into
 * {@code <data-dir>/models} (with progress in the version's state), and its SHA-256 checked against the one recorded
 * for the version, so a version stays the same bytes for its whole life.
 */
@Component
class VersionFiles {

    private static final Logger log = LoggerFactory.getLogger(VersionFiles.class);

    private final Path modelDirectory;
    private final boolean offline;
    /** Where Hugging Face sources download from: hanul.model.endpoint, HF_ENDPOINT, or Hugging Face itself. */
    private final URI hub;

    VersionFiles(DataDirectory dataDirectory, ModelProperties properties) {
        this.modelDirectory = dataDirectory.path().resolve("models");
        this.offline = properties.offline();
        this.hub = properties.hub();
    }

    /** The file, downloading it first when it is not here yet; {@code progress} gets the download's state. */
    Path resolve(ModelVersion row, Consumer<ModelState> progress) {
        VersionSource source = row.versionSource();
        if (source instanceof VersionSource.Local(Path path)) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException(path.toAbsolutePath() + " is not a file; point the version at a "
                        + "GGUF model (for the configured model: hanul.model.path), or unset hanul.model.path to "
                        + "download the default model");
            }
            return path;
        }
        URI address = switch (source) {
            case VersionSource.HuggingFace(String repository, String file) ->
                    ModelDownloader.huggingFace(hub, repository, file);
            case VersionSource.Url(URI url) -> url;
            case VersionSource.Local _ -> throw new IllegalStateException("unreachable");
            case VersionSource.Remote remote -> throw new IllegalStateException(row.id() + " is served by "
                    + remote.baseUrl() + " and has no file here");
        };
        Path target = modelDirectory.resolve(fileName(source));
        if (Files.isRegularFile(target)) {
            return target;
        }
        if (offline) {
            throw new IllegalStateException(("%s is not there and hanul.model.offline is set; download it with "
                    + "`bin/hanul model pull`, or register a version with a local path").formatted(target));
        }
        log.info("Downloading {} from {} to {}", row.id(), address, target);
        progress.accept(new ModelState(Phase.DOWNLOADING, "downloading " + address));
        return new ModelDownloader().download(address, target, row.sha256(), (done, total) ->
                progress.accept(new ModelState(Phase.DOWNLOADING, total > 0
                        ? "downloading %s: %d of %d MB".formatted(address, done >> 20, total >> 20)
                        : "downloading %s: %d MB".formatted(address, done >> 20))));
    }

    static String fileName(VersionSource source) {
        return switch (source) {
            case VersionSource.Local(Path path) -> path.getFileName().toString();
            case VersionSource.HuggingFace(String repository, String file) -> Path.of(file).getFileName().toString();
            case VersionSource.Url(URI url) -> Path.of(url.getPath()).getFileName().toString();
            case VersionSource.Remote(URI url, String model) -> model;
        };
    }

    /**
     * The file's SHA-256; when the version already has one, the file must still match it.
     *
     * @throws IllegalStateException when the file changed since the version was registered
     */
    static String verify(ModelVersion row, Path file) {
        String actual = sha256(file);
        if (row.sha256() != null && !row.sha256().equalsIgnoreCase(actual)) {
            throw new IllegalStateException(("%s has SHA-256 %s, but version %s was registered with %s: the file "
                    + "changed. Register the new file as a new version.").formatted(file, actual, row.id(),
                    row.sha256()));
        }
        return actual;
    }

    static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
