package dev.hanul.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Downloads a model file over HTTP(S) the way a large download must go: into {@code <file>.part}, resumed with a
 * Range request after an interruption, reported as it progresses, and checked against a SHA-256 before it is moved to
 * its final name. Hugging Face serves the SHA-256 of LFS files in the {@code X-Linked-ETag} header, so a checksum is
 * verified even when the caller gives none.
 */
public final class ModelDownloader {

    /** Told of the progress of a download; total is -1 when the server does not say. */
    @FunctionalInterface
    public interface Progress {
        void update(long downloaded, long total);
    }

    private static final int BUFFER = 1 << 16;

    private final HttpClient client;

    public ModelDownloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20)).build());
    }

    ModelDownloader(HttpClient client) {
        this.client = client;
    }

    /** The Hugging Face address of {@code file} in repository {@code repo} (main branch). */
    public static URI huggingFace(String repo, String file) {
        return URI.create("https://huggingface.co/%s/resolve/main/%s".formatted(repo, file));
    }

    /**
     * Downloads {@code source} to {@code target} unless it is already there.
     *
     * @param expectedSha256 the file's SHA-256 in hex, or null to trust the server's checksum header (if any)
     * @return the target path
     */
    public Path download(URI source, Path target, String expectedSha256, Progress progress) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            long have = Files.exists(part) ? Files.size(part) : 0;
            HttpRequest.Builder request = HttpRequest.newBuilder(source).GET();
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            boolean resumed = response.statusCode() == 206;
            if (!resumed && response.statusCode() != 200) {
                response.body().close();
                throw new IllegalStateException("Downloading %s failed: HTTP %d. Check the address, or download the "
                        .formatted(source, response.statusCode()) + "file yourself and pass its path");
            }
            if (!resumed) {
                have = 0; // the server ignored the Range: start over
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            total = total < 0 ? -1 : total + have;
            String sha256 = expectedSha256 != null ? expectedSha256 : serverChecksum(response).orElse(null);
            try (InputStream body = response.body();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                         resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                progress.update(have, total);
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    have += n;
                    progress.update(have, total);
                }
            }
            if (sha256 != null) {
                verify(part, sha256, source);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Downloading %s to %s failed: %s (run it again to resume)"
                    .formatted(source, target, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Download of " + source + " interrupted; run it again to resume", e);
        }
    }

    private static Optional<String> serverChecksum(HttpResponse<?> response) {
        return response.headers().firstValue("X-Linked-ETag")
                .map(etag -> etag.replace("\"", "").replace("W/", ""))
                .filter(etag -> etag.matches("[0-9a-fA-F]{64}"));
    }

    /** Checks the SHA-256; a mismatch deletes the file, since resuming a corrupt download cannot fix it. */
    private static void verify(Path file, String expected, URI source) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(expected)) {
            Files.delete(file);
            throw new IllegalStateException("The file downloaded from %s has SHA-256 %s, expected %s; it was deleted, "
                    .formatted(source, actual, expected.toLowerCase()) + "run the download again");
        }
    }
}
