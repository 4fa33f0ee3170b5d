package dev.hanul.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

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

    /** Where Hugging Face files come from unless a mirror is set: {@code HF_ENDPOINT}, as huggingface_hub reads it. */
    public static final URI HUGGING_FACE = URI.create("https://huggingface.co");

    /** The hub to download from: {@code HF_ENDPOINT} when set (a mirror), else {@link #HUGGING_FACE}. */
    public static URI defaultEndpoint() {
        String mirror = System.getenv("HF_ENDPOINT");
        return mirror == null || mirror.isBlank() ? HUGGING_FACE : URI.create(mirror.strip());
    }

    /** The Hugging Face address of {@code file} in repository {@code repo} (main branch), on the default endpoint. */
    public static URI huggingFace(String repo, String file) {
        return huggingFace(defaultEndpoint(), repo, file);
    }

    /** The address of {@code file} in repository {@code repo} (main branch) on a Hugging Face compatible hub. */
    public static URI huggingFace(URI endpoint, String repo, String file) {
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create("%s/%s/resolve/main/%s".formatted(base, repo, file));
    }

    /**
     * Downloads files of one Hugging Face repository (an ONNX model and its tokenizer) unless they are there, logging
     * each tenth of the way: how the embedding model and the reranker are fetched on first start.
     *
     * @param what    the model in words, for the log
     * @param targets file in the repository → where it goes
     * @throws ModelDownloadException for the first file that could not be had
     */
    public void downloadAll(String what, String repo, Map<String, Path> targets, Logger log) {
        for (var entry : targets.entrySet()) {
            URI source = huggingFace(repo, entry.getKey());
            log.info("Downloading {}'s {} from {}", what, entry.getKey(), source);
            var lastTenth = new int[] {-1};
            download(source, entry.getValue(), null, (done, total) -> {
                int tenth = total > 0 ? (int) (10 * done / total) : -1;
                if (tenth > lastTenth[0]) {
                    lastTenth[0] = tenth;
                    log.info("{}: {} of {} MB", entry.getKey(), done >> 20, total >> 20);
                }
            });
        }
    }

    /**
     * Downloads {@code source} to {@code target} unless it is already there.
     *
     * @param expectedSha256 the file's SHA-256 in hex, or null to trust the server's checksum header (if any)
     * @return the target path
     * @throws ModelDownloadException with the address, what went wrong and what to do
     */
    public Path download(URI source, Path target, String expectedSha256, Progress progress) {
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long have = 0;
        HttpResponse<InputStream> response;
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            have = Files.exists(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            throw localFailure(source, target, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(source).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw DownloadFailures.connecting(source, target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DownloadFailures.interrupted(source, target, e);
        }
        boolean resumed = response.statusCode() == 206;
        if (!resumed && response.statusCode() != 200) {
            closeQuietly(response.body());
            throw DownloadFailures.httpStatus(source, target, response.statusCode());
        }
        if (!resumed) {
            have = 0; // the server ignored the Range: start over
        }
        long remaining = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long total = remaining < 0 ? -1 : remaining + have;
        String sha256 = expectedSha256 != null ? expectedSha256 : serverChecksum(response).orElse(null);
        try {
            DownloadFailures.requireSpace(source, target, remaining);
        } catch (ModelDownloadException e) {
            closeQuietly(response.body());
            throw e;
        }
        transfer(response.body(), part, resumed, have, total, progress, source, target);
        try {
            if (sha256 != null) {
                verify(part, sha256, source, target);
            }
            return Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw localFailure(source, target, e);
        }
    }

    /** Copies the body into the part file; a broken connection keeps what arrived, a full disk says so. */
    private static void transfer(InputStream body, Path part, boolean append, long have, long total,
                                 Progress progress, URI source, Path target) {
        OutputStream out;
        try {
            out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            closeQuietly(body);
            throw localFailure(source, target, e);
        }
        try (body; out) {
            byte[] buffer = new byte[BUFFER];
            progress.update(have, total);
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw DownloadFailures.connectionLost(source, target, have, total, e);
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw localFailure(source, target, e);
                }
                have += n;
                progress.update(have, total);
            }
        } catch (IOException closing) {
            throw localFailure(source, target, closing);
        }
        if (total > 0 && have < total) {
            throw DownloadFailures.connectionLost(source, target, have, total, null);
        }
    }

    private static ModelDownloadException localFailure(URI source, Path target, IOException e) {
        return DownloadFailures.local(source, target, e);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the response is abandoned anyway
        }
    }

    private static Optional<String> serverChecksum(HttpResponse<?> response) {
        return response.headers().firstValue("X-Linked-ETag")
                .map(etag -> etag.replace("\"", "").replace("W/", ""))
                .filter(etag -> etag.matches("[0-9a-fA-F]{64}"));
    }

    /** Checks the SHA-256; a mismatch deletes the file, since resuming a corrupt download cannot fix it. */
    private static void verify(Path file, String expected, URI source, Path target) throws IOException {
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
            throw DownloadFailures.checksumMismatch(source, target, actual, expected.toLowerCase());
        }
    }
}
